"""Parallax's accuracy on public, labelled news corpora (`python benchmarks/accuracy`)."""
