"""Year-end snapshots (issue 11, item 6): an office closes a year for its subtree and the
figures of every unit in it are frozen, like an annual census; the dashboard and the API then
show the frozen figure beside the recomputed one. Writes in `services`, reads in `queries`."""
