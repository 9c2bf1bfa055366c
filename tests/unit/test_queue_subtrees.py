"""The GB/T 2260 prefix a region's descendants share (app.workflow.queue.subtrees)."""
import pytest

from app.workflow.queue.subtrees import code_prefix


@pytest.mark.parametrize("code, prefix", [
    ("130000", "13"), ("110000", "11"), ("130200", "1302"), ("130203", "130203"),
    ("500100", "5001"), ("13020300977", "13020300977"), ("130100", "1301"),
])
def test_a_region_code_gives_the_prefix_its_descendants_share(code, prefix):
    assert code_prefix(code) == prefix
