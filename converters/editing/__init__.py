"""Tools editors run on the edition: check, candidates, add, re-import and merge, anchors, seeds."""
