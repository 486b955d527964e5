"""The lab runner: find a lab, scaffold its workspace, run its check in a child process with a
time limit, stream progress, and turn what happened into a result that the CLI prints and the
store records.

Nothing in this package imports torch at module level: torch is imported only inside the
child process (`studyctl.labkit.child`) and by the check files it loads. Lab authors import
everything they need from `studyctl.labkit.api`.
"""
