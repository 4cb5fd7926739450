"""The Excel and Word files of a unit's report, built by the worker for the person who asked
(`tasks.build_report_file`), or at once by `chibo report --format xlsx|docx`."""
