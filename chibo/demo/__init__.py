"""Demo data: a realistic, deterministic province of party cells and members.

Each app plans its own part in its `demo.py` on the framework of chibo.core.demo (the tree in
chibo.org.demo, the members and their histories in chibo.members.demo, and so on). This hub
runs the planners in their order (`generate`), from one seed, into an empty database, and
empties the database again (`reset`); it names no domain."""
