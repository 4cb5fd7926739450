"""Demo data: a realistic, deterministic province of party cells and members.

`generate.demo_generate` plans everything in memory from one seeded random generator, then
writes it in bulk (`writer`), producing exactly the rows the services in `org.services` and
`members.services` would have produced one by one, with their history rows.
"""
