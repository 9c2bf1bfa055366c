"""/api/v1/me/ — the signed-in account: what banshi knows of it, and real-name verification.

A mini-program or APP client signs a citizen in with a token and takes them to their first
application without the web pages: ``GET /me/`` says whether the identity still needs verifying,
``POST /me/identity`` verifies it through VerifyIdentityCommand, as /identity/verify does.
"""
