# hpbench - memory hotplug benchmark and capacity planner
#
#   make            build ./hpplan and ./hpbench
#   make lab        the lab: agent, Debian's 6.12 kernel (apt), initramfs
#   make check      install deps (apt), build, run all tests (ASan+UBSan, lab)
#   make run        the main job: ./hpbench's matrix on the lab, then plots
#   make plots [RESULTS=results/<run-id>]   gnuplot PNG+SVG of a run
#   make bench-planner   planner throughput (layouts/s)
#
# GNU Make, pkg-config; C11 with warnings as errors.

CC      ?= cc
# V=1 prints whole command lines; by default one line per file, as kbuild
V       ?= 0
Q       := $(if $(filter 1,$(V)),,@)
say      = $(if $(filter 1,$(V)),:,printf '  %-7s %s\n' $(1) $@)
PKGS    := jansson inih
BENCH_PKGS := jansson inih gsl hwloc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_PKGS  := criterion

VERSION := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(PKG_CFLAGS) $(BENCH_CFLAGS) \
	      -DHPBENCH_VERSION='"$(VERSION)"'
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined

BUILD   := build
COMMON_SRC  := common/size.c
MODEL_SRC   := planner/names.c planner/arch.c planner/rules.c planner/plan.c
PLANNER_SRC := $(MODEL_SRC) planner/config.c planner/report.c \
	       planner/sweep.c planner/check.c planner/sysfs.c
HPPLAN_SRC  := $(COMMON_SRC) $(PLANNER_SRC) planner/hpplan.c
BENCH_LIB_SRC := bench/agent_proto.c bench/jsonline.c bench/qmp.c \
	       bench/lab.c bench/measure.c bench/results.c bench/stats.c \
	       bench/host.c bench/nd_info.c
HPBENCH_SRC := $(COMMON_SRC) $(PLANNER_SRC) $(BENCH_LIB_SRC) \
	       bench/paths.c bench/summary.c bench/matrix.c bench/options.c \
	       bench/hpbench.c
AGENT_SRC   := bench/agent/agent.c bench/agent_proto.c
TEST_SRC    := $(wildcard test/unit/*.c)
BENCH_LIBS  := $(shell pkg-config --libs $(BENCH_PKGS) 2>/dev/null) -lm
BENCH_CFLAGS := $(shell pkg-config --cflags $(BENCH_PKGS) 2>/dev/null)

# the lab: Debian's backports cloud kernel and our initramfs
LAB      := $(BUILD)/lab
AGENT    := $(LAB)/hpbench-agent
INITRAMFS := $(LAB)/initramfs.cpio.gz

OBJ = $(patsubst %.c,$(BUILD)/$(1)/%.o,$(2))

.PHONY: all check test unit cli kpatches kernel kernel-check labtest lab \
	lab-arm64 lab-ppc64le lab-arm64-16k lab-ppc64le-64k labs \
	deps run plots \
	bench-planner \
	clean format format-check

all: hpplan hpbench

deps:
	@sh scripts/install-deps.sh build

hpplan: $(call OBJ,rel,$(HPPLAN_SRC))
	@$(call say,CC)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

hpbench: $(call OBJ,rel,$(HPBENCH_SRC))
	@$(call say,CC)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(BENCH_LIBS) $(LDFLAGS)

# static: it is PID 1 of an initramfs with no libc
$(AGENT): $(AGENT_SRC) bench/agent_proto.h
	@mkdir -p $(dir $@)
	@$(call say,CC)
	$(Q)$(CC) $(ALL_CFLAGS) -Ibench -static -o $@ $(AGENT_SRC) -ljansson -lnuma -lpthread

$(LAB)/kernel.stamp: bench/lab/fetch-kernel.sh
	@sh scripts/install-deps.sh lab
	sh bench/lab/fetch-kernel.sh $(LAB)/kernels >/dev/null
	@touch $@

$(INITRAMFS): $(AGENT) bench/lab/mkinitramfs.sh $(LAB)/kernel.stamp
	sh bench/lab/mkinitramfs.sh $(AGENT) \
		"$$(ls -d $(LAB)/kernels/*/lib/modules | tail -n 1)" $@

lab: hpbench $(INITRAMFS)

# The lab for another arch or page size (build/lab/LAB/, LAB = ARCH or
# ARCH-16k/ARCH-64k: the Debian flavour with those pages): the agent
# cross-built with Debian's cross compiler against that arch's static
# libjansson/libnuma (multiarch), that flavour's kernel, its initramfs.
# `make lab-arm64`, `make lab-arm64-16k`, `make lab-ppc64le`,
# `make lab-ppc64le-64k`; scripts/install-deps.sh cross-ARCH.
CROSS_arm64   := aarch64-linux-gnu-
CROSS_ppc64le := powerpc64le-linux-gnu-
CROSS_LABS    := arm64 arm64-16k ppc64le ppc64le-64k
lab_arch = $(firstword $(subst -, ,$(1)))
lab_page = $(or $(subst k,K,$(word 2,$(subst -, ,$(1)))),4K)

$(LAB)/%/hpbench-agent: $(AGENT_SRC) bench/agent_proto.h
	@sh scripts/install-deps.sh cross-$(call lab_arch,$*)
	@mkdir -p $(dir $@)
	@$(call say,CC)
	$(Q)$(CROSS_$(call lab_arch,$*))gcc $(ALL_CFLAGS) -Ibench -static -o $@ \
		$(AGENT_SRC) -ljansson -lnuma -lpthread

$(LAB)/%/kernel.stamp: bench/lab/fetch-kernel.sh
	@sh scripts/install-deps.sh lab cross-$(call lab_arch,$*)
	sh bench/lab/fetch-kernel.sh --arch $(call lab_arch,$*) \
		--page-size $(call lab_page,$*) $(LAB)/$*/kernels >/dev/null
	@touch $@

$(LAB)/%/initramfs.cpio.gz: $(LAB)/%/hpbench-agent bench/lab/mkinitramfs.sh \
		$(LAB)/%/kernel.stamp
	sh bench/lab/mkinitramfs.sh --arch $(call lab_arch,$*) \
		$(LAB)/$*/hpbench-agent \
		"$$(ls -d $(LAB)/$*/kernels/*/lib/modules | tail -n 1)" $@

$(addprefix lab-,$(CROSS_LABS)): lab-%: $(LAB)/%/initramfs.cpio.gz
.SECONDARY: $(foreach a,$(CROSS_LABS),$(LAB)/$(a)/hpbench-agent $(LAB)/$(a)/kernel.stamp)
# every lab the matrix (hpbench --arch all --page-sizes all) boots
labs: lab $(addprefix lab-,$(CROSS_LABS))

# the lab tests run hpbench --target host inside the guest: a static
# hpbench (no hwloc: Debian has no static libudev) in its own initramfs
$(LAB)/hpbench-static: $(HPBENCH_SRC) $(wildcard */*.h)
	@mkdir -p $(dir $@)
	@$(call say,CC)
	$(Q)$(CC) $(ALL_CFLAGS) -DHPBENCH_NO_HWLOC -static -o $@ $(HPBENCH_SRC) \
		-ljansson -linih -lgsl -lgslcblas -lm -lpthread

$(LAB)/initramfs-selftest.cpio.gz: $(AGENT) $(LAB)/hpbench-static \
		bench/lab/mkinitramfs.sh $(LAB)/kernel.stamp
	sh bench/lab/mkinitramfs.sh $(AGENT) \
		"$$(ls -d $(LAB)/kernels/*/lib/modules | tail -n 1)" $@ \
		$(LAB)/hpbench-static

$(BUILD)/guest-exec: test/lab/guest_exec.c $(call OBJ,rel,bench/lab.c bench/qmp.c bench/jsonline.c common/size.c)
	@$(call say,CC)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/rel/%.o: %.c $(wildcard */*.h planner/*.h common/*.h bench/*.h)
	@mkdir -p $(dir $@)
	@$(call say,CC)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/san/%.o: %.c $(wildcard */*.h planner/*.h common/*.h bench/*.h)
	@mkdir -p $(dir $@)
	@$(call say,CC)
	$(Q)$(CC) $(ALL_CFLAGS) -O1 $(SAN) -c -o $@ $<

# unit tests and the planner CLI under ASan+UBSan
$(BUILD)/test-unit: $(call OBJ,san,$(COMMON_SRC) $(PLANNER_SRC) $(BENCH_LIB_SRC) $(TEST_SRC))
	@$(call say,CC)
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(BENCH_LIBS) \
		$(shell pkg-config --libs $(TEST_PKGS))

$(BUILD)/hpplan-san: $(call OBJ,san,$(HPPLAN_SRC))
	@$(call say,CC)
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS)

# Criterion counts a test that leaked as passing: the log decides too
unit: $(BUILD)/test-unit
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		$(BUILD)/test-unit --jobs 1 >$(BUILD)/unit.log 2>&1; rc=$$?; \
		cat $(BUILD)/unit.log; \
		if grep -q "Sanitizer" $(BUILD)/unit.log; then \
			echo "unit: sanitizer report above (leak or UB)" >&2; \
			exit 1; fi; \
		exit $$rc

cli: $(BUILD)/hpplan-san hpplan
	HPPLAN=$(BUILD)/hpplan-san sh test/cli/run.sh
	sh test/cli/plots.sh

# the kernel series applies to the pinned source and passes checkpatch
kpatches:
	sh test/kernel/patches.sh

# the patched lab kernel (kernel-patches/): apt deps, unpack, apply, build,
# cached by source version + series + config
# ARCH=arm64|ppc64le cross-builds with Debian's cross compilers; KPAGE=4K|16K|64K
KARCH = $(or $(ARCH),x86_64)
kernel:
	@sh scripts/install-deps.sh kernel-build $(if $(filter-out x86_64,$(KARCH)),kernel-cross-$(KARCH))
	sh scripts/build-kernel.sh --arch $(KARCH) $(if $(KPAGE),--page-size $(KPAGE)) $(BUILD)/kernel

# the patched kernel in the lab: a block-size sweep the planner must match;
# then seed 000 on the ppc64le kernel cross-built with 64K pages
kernel-check: kernel lab hpplan lab-ppc64le-64k
	sh test/kernel/sweep.sh
	@$(MAKE) --no-print-directory kernel KARCH=ppc64le KPAGE=64K
	sh test/kernel/seed.sh

# boots the real lab (QEMU + Debian 6.12 + our initramfs) several times
labtest: lab hpplan $(BUILD)/guest-exec $(LAB)/initramfs-selftest.cpio.gz \
		labs
	sh test/lab/run.sh
	sh test/lab/arches.sh

test: format-check unit cli kpatches labtest kernel-check

# the README's test command: set up from nothing, then test
check:
	@sh scripts/install-deps.sh build lab kernel-build
	@$(MAKE) --no-print-directory test

$(BUILD)/bench-planner: $(call OBJ,rel,$(COMMON_SRC) $(MODEL_SRC) test/perf/plan_throughput.c)
	@$(call say,CC)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS)

bench-planner: $(BUILD)/bench-planner
	$(BUILD)/bench-planner

# main job: the default benchmark on the lab, then its plots
RUN_ID  := $(shell date +%Y%m%d-%H%M%S)
RESULTS ?= $(lastword $(sort $(wildcard results/*/)))

# every arch and page size the lab has, CXL included (the matrix)
run:
	@sh scripts/install-deps.sh build lab cross-arm64 cross-ppc64le
	@$(MAKE) --no-print-directory labs hpplan
	./hpbench --arch all --page-sizes all --modes off,on,force \
		--out results/$(RUN_ID)
	sh plots/plot.sh results/$(RUN_ID)

plots:
	@test -n "$(RESULTS)" || { echo "no results/<run-id>/ yet; make plots RESULTS=DIR" >&2; exit 2; }
	sh plots/plot.sh $(RESULTS)

FORMAT_SRC = $(wildcard common/*.[ch] planner/*.[ch] bench/*.[ch] bench/agent/*.c \
	     test/unit/*.c test/perf/*.c test/lab/*.c)

format:
	clang-format -i $(FORMAT_SRC)

format-check:
	clang-format --dry-run --Werror $(FORMAT_SRC)

clean:
	rm -rf $(BUILD) hpplan hpbench
