"""Demo data: a realistic, deterministic province of party cells and members.

`generate.demo_generate` plans everything in memory from one seeded random generator, then
writes it in bulk (`writer`), producing exactly the rows the services in `org.services` and
`members.services` would have produced one by one, with their history rows. The members'
histories follow the Party's rules read from `chibo.rules` (`timeline`): ceremonies, probations
and reviews, candidates at every stage (`candidacies`), transfers, readmissions and disciplines
(`lifecycle`), badges on the occasions they fell due (`awards`).
"""
