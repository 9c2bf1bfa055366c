"""The reviewers queues and decisions API (/api/v1/reviews/)."""
