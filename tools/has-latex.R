# Prints --no-manual when no LaTeX is installed: the PDF manual cannot be
# built offline without it, and everything else of the check still runs.
if (!nzchar(Sys.which("pdflatex"))) cat("--no-manual\n")
