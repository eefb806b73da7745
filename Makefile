# dlnpath developer and user commands. Everything the project needs is
# installed from here (Debian packages where prebuilt, else CRAN).
#
#   make demo [DATA=file.csv RESPONSE=column]   install, compare DLN and lasso, write
#                    dlnpath-demo.png (dlnpath-demo-<file>.png with DATA)
#   make test        strict compile, testthat suite, R CMD check --as-cran
#   make check       only R CMD check --as-cran on the built tarball
#   make docs        regenerate man/ and NAMESPACE with roxygen2
#   make install     install the package into the default library
#   make memcheck    tests under valgrind and an ASan/UBSan build, gctorture subset
#   make bench [BENCH="homotopy cd"]   benchmarks against the peers -> inst/bench/results.md
#                    and the README's table (about 10 minutes on 2 cores)

R        ?= R
RSCRIPT  ?= Rscript
PKG      := dlnpath
VERSION  := $(shell sed -n 's/^Version: *//p' DESCRIPTION)
TARBALL  := $(PKG)_$(VERSION).tar.gz
BUILD    := $(CURDIR)/check
DATA     ?=
RESPONSE ?=

# Debian's prebuilt R packages (seconds) and tools; lars comes from CRAN.
DEB_PKGS := r-cran-ggplot2 r-cran-glmnet r-cran-knitr r-cran-rmarkdown \
            r-cran-roxygen2 r-cran-generics r-cran-broom r-cran-desolve \
            r-cran-testthat pandoc qpdf
R_PKGS   := ggplot2 glmnet knitr rmarkdown roxygen2 generics broom deSolve testthat lars

.PHONY: all deps install demo test unit check strict docs bench bench-deps memcheck clean

all: test

deps:
	@if ! $(RSCRIPT) tools/deps.R $(R_PKGS) || ! command -v pandoc >/dev/null; then \
	  echo "installing Debian packages: $(DEB_PKGS)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    $$SUDO apt-get install -y -qq $(DEB_PKGS) >/dev/null; } || \
	    echo "apt-get failed; trying CRAN for the R packages"; \
	  $(RSCRIPT) tools/deps.R --install $(R_PKGS); \
	fi

install: deps
	$(R) CMD INSTALL --preclean --no-multiarch .

demo: install
	$(RSCRIPT) inst/scripts/demo.R "$(DATA)" "$(RESPONSE)"

# Compile with strict warnings into a private library; any compiler warning fails.
strict: deps
	@rm -rf $(BUILD)/strict-lib && mkdir -p $(BUILD)/strict-lib
	R_MAKEVARS_USER=$(CURDIR)/.ci/Makevars.strict $(R) CMD INSTALL --preclean \
	  --library=$(BUILD)/strict-lib . > $(BUILD)/strict-install.log 2>&1 || \
	  { cat $(BUILD)/strict-install.log; exit 1; }
	@# the kernels as other CPUs build them (portable only), C99
	gcc -std=c99 -fsyntax-only -Wall -Wextra -pedantic -Wstrict-prototypes -Wshadow \
	  -DDLNPATH_PORTABLE src/kernels.c >> $(BUILD)/strict-install.log 2>&1 || \
	  { cat $(BUILD)/strict-install.log; exit 1; }
	@if grep -n "warning:" $(BUILD)/strict-install.log; then \
	  echo "compiler warnings under -Wall -pedantic -Wstrict-prototypes: failing"; exit 1; fi
	@echo "strict compile: no warnings"

unit: strict
	R_LIBS=$(BUILD)/strict-lib $(RSCRIPT) tools/run-tests.R

check: deps
	@mkdir -p $(BUILD)
	cd $(BUILD) && rm -rf $(PKG).Rcheck $(TARBALL) && $(R) CMD build $(CURDIR)
	cd $(BUILD) && R_ENVIRON_USER=$(CURDIR)/.ci/Renviron.check \
	  $(R) CMD check --as-cran $$($(RSCRIPT) $(CURDIR)/tools/has-latex.R) $(TARBALL) \
	  > check.log 2>&1; status=$$?; cat check.log; \
	  $(RSCRIPT) $(CURDIR)/tools/check-status.R $(PKG).Rcheck/00check.log || exit 1; \
	  exit $$status

test: unit check

BENCH ?=
BENCH_LIB := $(BUILD)/bench-lib
# The peers: glmnet and deSolve prebuilt from Debian (with ggplot2, which
# dlnpath needs), lars from CRAN, scikit-learn from Debian's python3-sklearn
# (run by /usr/bin/python3). A peer that cannot be installed is skipped by
# the benchmarks, with a message.
BENCH_DEB := r-cran-ggplot2 r-cran-glmnet r-cran-desolve python3-sklearn
BENCH_R   := ggplot2 glmnet deSolve lars
bench-deps:
	@if ! $(RSCRIPT) tools/deps.R $(BENCH_R) || \
	    ! /usr/bin/python3 -c "import sklearn" 2>/dev/null; then \
	  echo "installing Debian packages: $(BENCH_DEB)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    $$SUDO apt-get install -y -qq $(BENCH_DEB) >/dev/null; } || \
	    echo "apt-get failed; trying CRAN for the R packages"; \
	  $(RSCRIPT) tools/deps.R --install $(BENCH_R) || \
	    echo "the benchmarks will skip the peers that are missing"; \
	  /usr/bin/python3 -c "import sklearn" 2>/dev/null || \
	    echo "python3-sklearn not installed: scikit-learn will be skipped"; \
	fi

# dlnpath goes to a private library (the benchmarks measure this tree);
# the results table is copied into README.md between its bench markers.
bench: bench-deps
	@rm -rf $(BENCH_LIB) && mkdir -p $(BENCH_LIB)
	$(R) CMD INSTALL --preclean --no-multiarch --library=$(BENCH_LIB) . \
	  > $(BUILD)/bench-install.log 2>&1 || { cat $(BUILD)/bench-install.log; exit 1; }
	R_LIBS=$(BENCH_LIB) $(RSCRIPT) inst/bench/run-all.R inst/bench $(BENCH)
	$(RSCRIPT) tools/bench-readme.R inst/bench/results.md README.md

memcheck: deps
	sh tools/memcheck.sh

# roxygen compiles the package with its own flags: drop those objects
docs:
	$(RSCRIPT) -e 'roxygen2::roxygenise()'
	rm -f src/*.o src/*.so

clean:
	rm -rf $(BUILD) src/*.o src/*.so dlnpath-demo-*.png
