#!/bin/sh
# SPDX-License-Identifier: MIT
# plot.sh - draw the plots of one result directory as PNG and SVG.
#
#   plots/plot.sh RESULTS_DIR [OUT_DIR]
#
# OUT_DIR defaults to plots/out/<basename of RESULTS_DIR>.  gnuplot can't
# group rows by a column, so awk here picks the usable rows and writes one
# data file per series plus a vars.gp (titles, colours, tics); the
# plots/*.gp scripts only draw.  Paths written go to stdout, notes about
# skipped plots to stderr.  Exit 0 when done, 2 on bad input.
set -eu

usage() {
	echo "usage: plots/plot.sh RESULTS_DIR [OUT_DIR]" >&2
	exit 2
}
die() {
	echo "plot.sh: $*" >&2
	exit 2
}
note() {
	echo "plot.sh: $*" >&2
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	usage
fi
RES=$1
HERE=$(dirname "$0")
OUT=${2:-$HERE/out/$(basename "$RES")}
[ -d "$RES" ] || die "$RES: not a directory"
[ -f "$RES/latency.csv" ] || [ -f "$RES/capacity.csv" ] ||
	die "$RES has neither latency.csv nor capacity.csv (see results/README.md)"
command -v gnuplot >/dev/null 2>&1 ||
	die "gnuplot not found (scripts/install-deps.sh build installs gnuplot-nox)"
# paths are handed to gnuplot inside '...'
case "$RES$OUT$HERE" in
*"'"*) die "paths containing ' are not supported" ;;
esac
mkdir -p "$OUT"

# pngcairo draws antialiased text; plain png (libgd) is the fallback
if gnuplot -e 'set terminal pngcairo' >/dev/null 2>&1; then
	PNGTERM="pngcairo font 'sans,11'"
else
	PNGTERM="png font 'sans,11'"
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM

RUN=$(basename "$RES")

# --- awk ------------------------------------------------------------------
# mawk turns numbers above 2^31 into "%.6g" strings when they become array
# keys or are concatenated, so byte counts are always formatted by hand:
# big() for output, pad() for keys that must also sort.
AWK_FUNCS='
function isnum(s) {
	return s ~ /^[ \t]*[-+]?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?[ \t]*$/
}
function big(x) {
	return sprintf("%.0f", x)
}
function pad(x) {
	return sprintf("%020.0f", x)
}
# 134217728, 0x8000000, 128M, 1G or 1GiB; -1 when none of those
function bytes(s,   i, m, c, v) {
	gsub(/[ \t]/, "", s)
	if (s ~ /^0[xX][0-9a-fA-F]+$/) {
		v = 0
		for (i = 3; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", \
					   tolower(substr(s, i, 1))) - 1
		return v
	}
	m = 1
	if (match(s, /[kKmMgGtT](i?B)?$/)) {
		c = toupper(substr(s, RSTART, 1))
		s = substr(s, 1, RSTART - 1)
		m = c == "K" ? 1024 : c == "M" ? 1048576 : \
		    c == "G" ? 1073741824 : 1099511627776
	}
	return isnum(s) ? s * m : -1
}
function isort(a, n,   i, j, t) {
	for (i = 2; i <= n; i++) {
		t = a[i]
		for (j = i - 1; j >= 1 && a[j] > t; j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
}
# GSL quantile of sorted a[1..n]: linear between order statistics, so
# the fallback summary matches bench/stats.c
function q(a, n, p,   x, lo) {
	x = p * (n - 1)
	lo = int(x)
	return lo + 1 < n ? a[lo + 1] + (x - lo) * (a[lo + 2] - a[lo + 1]) \
			  : a[n]
}
function gpstr(s) {
	gsub(/["\\]/, "_", s)
	return "\"" s "\""
}
function moderank(m) {
	return m == "off" ? 0 : m == "on" ? 1 : m == "force" ? 2 : 3
}
# write_modes(file, keys, val): a row per key of keys in number() order,
# a column per mode (off on force) from val[key, mode], NaN where none
function write_modes(file, keys, val,   n, idx, order, k, i, j, m) {
	n = number(keys, idx)
	for (k in idx)
		order[idx[k]] = k
	for (i = 1; i <= n; i++) {
		k = order[i]
		printf "%s", gpstr(k) > file
		for (j = 1; j <= 3; j++) {
			m = j == 1 ? "off" : j == 2 ? "on" : "force"
			printf " %s", ((k, m) in val) ? \
			       sprintf("%.6g", val[k, m]) : "NaN" > file
		}
		printf "\n" > file
	}
	return n
}
# number the keys of arr in the order of their values into idx; returns n
function number(arr, idx,   k, n, s, i) {
	n = 0
	for (k in arr)
		s[++n] = arr[k] "\035" k
	isort(s, n)
	for (i = 1; i <= n; i++)
		idx[substr(s[i], index(s[i], "\035") + 1)] = i
	return n
}
# "set xtics" with a tic at every size (bytes) in sz[pad(size)], in MiB
function xtics(sz,   z, zs, n, j, s) {
	n = 0
	for (z in sz)
		zs[++n] = z
	isort(zs, n)
	s = ""
	for (j = 1; j <= n; j++)
		s = s (j > 1 ? ", " : "") sprintf("\"%g\" %.6g", \
			zs[j] / 1048576, zs[j] / 1048576)
	return "set xtics (" s ")"
}
'

# CSV by header name (columns may come in any order, see results/README.md);
# "#" and blank lines are skipped; NEED names the columns that must exist.
# Fields are in F[]: hpbench quotes a status or config holding a comma
# (RFC 4180), so a plain split on "," is only the fast path.
# shellcheck disable=SC2016 # $0 is awk's, not the shell's
AWK_CSV='
function csvsplit(s, F,   n, fld, c, i, inq) {
	if (index(s, "\"") == 0)
		return split(s, F, ",")
	split("", F)
	n = 0
	fld = ""
	inq = 0
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (inq && c == "\"" && substr(s, i + 1, 1) == "\"") {
			fld = fld c
			i++
		} else if (c == "\"") {
			inq = !inq
		} else if (c == "," && !inq) {
			F[++n] = fld
			fld = ""
		} else {
			fld = fld c
		}
	}
	F[++n] = fld
	return n
}
function f(name) {
	return (name in C) ? F[C[name]] : ""
}
# dax-kmem runs differ by the kmem memmap_on_memory attribute too: the
# config column ends in /attr0 or /attr1 for them
function pathkey(   c, p) {
	c = f("config")
	p = f("path")
	if (match(c, /\/attr[01]$/))
		p = p " " substr(c, RSTART + 1)
	# a matrix (several arches or page sizes): the cell names the series
	return multi ? cell() " " p : p
}
# "arm64 16K": the arch and page size columns of a row
function cell(   ps) {
	ps = f("page_size")
	return f("arch") " " (isnum(ps) && ps > 0 ? ps / 1024 "K" : "?")
}
{ sub(/\r$/, "") }
/^[ \t]*(#|$)/ { next }
{ nf = csvsplit($0, F) }
!hdr {
	for (i = 1; i <= nf; i++) {
		h = F[i]
		gsub(/[ \t]/, "", h)
		C[h] = i
	}
	hdr = 1
	miss = ""
	nneed = split(NEED, need, " ")
	for (i = 1; i <= nneed; i++)
		if (!(need[i] in C))
			miss = miss " " need[i]
	if (miss != "") {
		printf "plot.sh: %s: no column%s\n", FILENAME, miss > "/dev/stderr"
		exit
	}
	next
}
'

# Series naming: path and mode, plus online policy and block size only when
# the run varied them.  a[1..4] = path, mode, online, block size (bytes).
AWK_SERIES='
function base_note(a) {
	ons[a[3]]
	bss[a[4]]
}
function nkeys(arr,   k, n) {
	n = 0
	for (k in arr)
		n++
	return n
}
function base_label(a,   s) {
	s = a[1] ", mode=" a[2]
	if (nkeys(ons) > 1)
		s = s ", online=" a[3]
	if (nkeys(bss) > 1)
		s = s ", block " a[4] / 1048576 " MiB"
	return s
}
function base_sort(a) {
	return a[1] "\034" moderank(a[2]) a[2] "\034" a[3] "\034" pad(a[4])
}
'

# --- per-request latencies --------------------------------------------------
# requests LATENCY_CSV: one line per (request, operation, side), status ok:
#   path,mode,online,block_size,size,operation,side,trial,online_before,ns
# The row with block = -1 covers the request; without one the per-block
# rows are summed.
requests() {
	awk -F, -v multi="$MULTI" -v NEED="path mode online block_size size_bytes trial request \
online_before_bytes block operation side latency_ns status" \
		"$AWK_FUNCS$AWK_CSV"'
	f("status") != "ok" || !isnum(f("latency_ns")) { next }
	{
		k = f("config") SUBSEP pathkey() SUBSEP f("mode") SUBSEP \
		    f("online") SUBSEP f("block_size") SUBSEP f("size_bytes") \
		    SUBSEP f("trial") SUBSEP f("request") SUBSEP \
		    f("operation") SUBSEP f("side")
		if (!(k in row)) {
			order[++n] = k
			row[k] = pathkey() "," f("mode") "," f("online") "," \
				 big(bytes(f("block_size"))) "," \
				 big(bytes(f("size_bytes"))) "," \
				 f("operation") "," f("side") "," f("trial") \
				 "," big(bytes(f("online_before_bytes")))
		}
		if (f("block") + 0 < 0)
			whole[k] = f("latency_ns")
		else
			sum[k] += f("latency_ns")
	}
	END {
		for (i = 1; i <= n; i++) {
			k = order[i]
			printf "%s,%.0f\n", row[k], (k in whole) ? whole[k] : sum[k]
		}
	}' "$1"
}

# --- latency vs size ----------------------------------------------------------
# summary_rows: summary.csv, or when it has no usable rows (an interrupted
# run) latency.csv summarised here, as
#   path,mode,online,block_size,size,operation,side,median,p10,p90 (ns)
summary_rows() {
	if [ -f "$RES/summary.csv" ]; then
		awk -F, -v multi="$MULTI" -v NEED="path mode online block_size size_bytes \
operation side median_ns" "$AWK_FUNCS$AWK_CSV"'
		!isnum(f("median_ns")) || bytes(f("size_bytes")) <= 0 { next }
		{
			m = f("median_ns")
			lo = isnum(f("p10_ns")) ? f("p10_ns") : m
			hi = isnum(f("p90_ns")) ? f("p90_ns") : m
			printf "%s,%s,%s,%.0f,%.0f,%s,%s,%s,%s,%s\n", \
			       pathkey(), f("mode"), f("online"), \
			       bytes(f("block_size")), bytes(f("size_bytes")), \
			       f("operation"), f("side"), m, lo, hi
		}' "$RES/summary.csv" >"$TMP/summary"
		if [ -s "$TMP/summary" ]; then
			cat "$TMP/summary"
			return 0
		fi
	fi
	[ -f "$RES/latency.csv" ] || return 0
	requests "$RES/latency.csv" | awk -F, "$AWK_FUNCS"'
	$5 > 0 {
		k = $1 "," $2 "," $3 "," $4 "," $5 "," $6 "," $7
		if (!(k in cnt))
			order[++n] = k
		v[k, ++cnt[k]] = $10 + 0
	}
	END {
		for (i = 1; i <= n; i++) {
			k = order[i]
			for (j = 1; j <= cnt[k]; j++)
				a[j] = v[k, j]
			isort(a, cnt[k])
			printf "%s,%.1f,%.1f,%.1f\n", k, q(a, cnt[k], 0.5), \
			       q(a, cnt[k], 0.1), q(a, cnt[k], 0.9)
		}
	}'
}

# size_series DIR: panels "add" (host side preferred) and "online" (guest
# side preferred); a series without the preferred side falls back to the
# next and says so in its title.  Writes DIR/add-N.dat, DIR/online-N.dat
# (MiB, median ms, p10 ms, p90 ms) and DIR/vars.gp.
size_series() {
	awk -F, -v dir="$1" -v run="$RUN" "$AWK_FUNCS$AWK_SERIES"'
	BEGIN {
		pref["add"] = "host guest kernel"
		pref["online"] = "guest kernel host"
	}
	!($6 in pref) { next }
	{
		n++
		for (i = 1; i <= 10; i++)
			r[n, i] = $i
		split($0, a, ",")
		base_note(a)
		sz[pad($5)]
	}
	END {
		for (i = 1; i <= n; i++) {
			for (j = 1; j <= 4; j++)
				a[j] = r[i, j]
			lab[i] = base_label(a)
			keys[lab[i]] = base_sort(a)
			have[r[i, 6], lab[i], r[i, 7]] = 1
		}
		nk = number(keys, kidx)
		for (k in kidx)
			order[kidx[k]] = k
		vars = dir "/vars.gp"
		printf "run = %s\n", gpstr(run) > vars
		for (p in pref) {
			np = 0
			split(pref[p], sides, " ")
			for (s = 1; s <= nk; s++) {
				k = order[s]
				side = ""
				for (j = 1; j <= 3; j++)
					if ((p, k, sides[j]) in have) {
						side = sides[j]
						break
					}
				if (side == "")
					continue
				np++
				m = 0
				for (i = 1; i <= n; i++)
					if (r[i, 6] == p && lab[i] == k && \
					    r[i, 7] == side)
						pt[++m] = pad(r[i, 5]) "\035" i
				isort(pt, m)
				file = sprintf("%s/%s-%d.dat", dir, p, np)
				for (j = 1; j <= m; j++) {
					i = substr(pt[j], 22) + 0
					printf "%.6g %.6g %.6g %.6g\n", \
					       r[i, 5] / 1048576, r[i, 8] / 1e6, \
					       r[i, 9] / 1e6, r[i, 10] / 1e6 > file
				}
				close(file)
				t[np] = k (side == sides[1] ? "" : \
					   " [" side " side]")
				c[np] = s
			}
			printf "n_%s = %d\n", p, np > vars
			if (np == 0)
				continue
			printf "array %s_t[%d]; array %s_c[%d]\n", p, np, p, \
			       np > vars
			for (j = 1; j <= np; j++)
				printf "%s_t[%d] = %s; %s_c[%d] = %d\n", p, j, \
				       gpstr(t[j]), p, j, c[j] > vars
		}
		print xtics(sz) > vars
	}'
}

# --- latency vs online memory ---------------------------------------------
# online_series DIR: one series per (path, mode, size): every add (points)
# and the median per online_before value (line); host side, else guest,
# else kernel.  Writes DIR/N-raw.dat (GiB, ms), DIR/N-med.dat (GiB, ms) and
# DIR/vars.gp.
online_series() {
	awk -F, -v dir="$1" -v run="$RUN" "$AWK_FUNCS$AWK_SERIES"'
	BEGIN { split("host guest kernel", sides, " ") }
	$6 != "add" || $5 <= 0 || $9 < 0 { next }
	{
		n++
		for (i = 1; i <= 10; i++)
			r[n, i] = $i
		split($0, a, ",")
		base_note(a)
		sz[pad($5)]
	}
	END {
		for (i = 1; i <= n; i++) {
			for (j = 1; j <= 4; j++)
				a[j] = r[i, j]
			b = base_label(a)
			lab[i] = b ", " r[i, 5] / 1048576 " MiB"
			bases[b] = base_sort(a)
			bof[lab[i]] = b
			keys[lab[i]] = base_sort(a) "\034" pad(r[i, 5])
			szof[lab[i]] = pad(r[i, 5])
			have[lab[i], r[i, 7]] = 1
		}
		nk = number(keys, kidx)
		number(bases, bidx)
		for (z in sz)
			zsort[z] = z
		number(zsort, zidx)
		for (k in kidx)
			order[kidx[k]] = k
		vars = dir "/vars.gp"
		printf "run = %s\n", gpstr(run) > vars
		for (s = 1; s <= nk; s++) {
			k = order[s]
			for (j = 1; j <= 3; j++)
				if ((k, sides[j]) in have) {
					side = sides[j]
					break
				}
			raw = sprintf("%s/%d-raw.dat", dir, s)
			split("", cnt)
			m = 0
			for (i = 1; i <= n; i++) {
				if (lab[i] != k || r[i, 7] != side)
					continue
				printf "%.6g %.6g\n", r[i, 9] / 1073741824, \
				       r[i, 10] / 1e6 > raw
				x = pad(r[i, 9])
				if (!(x in cnt))
					xl[++m] = x
				v[x, ++cnt[x]] = r[i, 10] / 1e6
			}
			close(raw)
			isort(xl, m)
			med = sprintf("%s/%d-med.dat", dir, s)
			for (j = 1; j <= m; j++) {
				x = xl[j]
				for (i = 1; i <= cnt[x]; i++)
					vv[i] = v[x, i]
				isort(vv, cnt[x])
				printf "%.6g %.6g\n", x / 1073741824, \
				       q(vv, cnt[x], 0.5) > med
			}
			close(med)
			t[s] = k (side == "host" ? "" : " [" side " side]")
			c[s] = bidx[bof[k]]
			d[s] = zidx[szof[k]]
		}
		printf "n = %d\n", nk > vars
		if (nk == 0)
			exit
		printf "array t[%d]; array c[%d]; array d[%d]\n", nk, nk, nk > vars
		for (j = 1; j <= nk; j++)
			printf "t[%d] = %s; c[%d] = %d; d[%d] = %d\n", j, \
			       gpstr(t[j]), j, c[j], j, d[j] > vars
	}'
}

# --- capacity lost ------------------------------------------------------------
# capacity_series DIR: one series per (path, mode): mean over trials of
# size - usable bytes and of the memmap taken from RAM (memmap_pages * 4096
# when the memmap is not on the device), with min..max bars.  Writes
# DIR/N.dat (MiB; lost mean, min, max; RAM mean, min, max) and DIR/vars.gp.
capacity_series() {
	awk -F, -v multi="$MULTI" -v dir="$1" -v run="$RUN" -v NEED="path memmap_on_memory \
size_bytes usable_bytes status" "$AWK_FUNCS$AWK_CSV$AWK_SERIES"'
	function agg(arr, key, v) {
		if (v == "NaN")
			return
		if (!((key, "n") in arr) || v < arr[key, "lo"])
			arr[key, "lo"] = v
		if (!((key, "n") in arr) || v > arr[key, "hi"])
			arr[key, "hi"] = v
		arr[key, "sum"] += v
		arr[key, "n"]++
		if (v > arr["max"])
			arr["max"] = v
	}
	function show(arr, key) {
		if (!((key, "n") in arr))
			return "NaN NaN NaN"
		return sprintf("%.6g %.6g %.6g", arr[key, "sum"] / arr[key, "n"], \
			       arr[key, "lo"], arr[key, "hi"])
	}
	f("status") != "ok" || !isnum(f("usable_bytes")) { next }
	bytes(f("size_bytes")) <= 0 { next }
	{
		a[1] = pathkey()
		a[2] = f("memmap_on_memory")
		a[3] = ""
		a[4] = ("memory_block_size" in C) ? \
		       big(bytes(f("memory_block_size"))) : 0
		base_note(a)
		size = bytes(f("size_bytes"))
		n++
		lab[n] = a[1] SUBSEP a[2] SUBSEP a[3] SUBSEP a[4]
		keys[lab[n]] = base_sort(a)
		paths[a[1]] = a[1]
		rsize[n] = pad(size)
		sz[rsize[n]]
		lost[n] = (size - f("usable_bytes")) / 1048576
		ram[n] = "NaN"
		if (isnum(f("memmap_pages")) && f("memmap_on_device") != "")
			ram[n] = f("memmap_on_device") == "true" ? 0 : \
				 f("memmap_pages") * (isnum(f("page_size")) && \
				 f("page_size") > 0 ? f("page_size") : 4096) / 1048576
	}
	END {
		vars = dir "/vars.gp"
		printf "run = %s\n", gpstr(run) > vars
		nk = number(keys, kidx)
		number(paths, pnum)
		for (i = 1; i <= n; i++) {
			agg(L, lab[i] SUBSEP rsize[i], lost[i])
			agg(R, lab[i] SUBSEP rsize[i], ram[i])
		}
		nz = 0
		for (z in sz)
			zs[++nz] = z
		isort(zs, nz)
		for (k in kidx) {
			s = kidx[k]
			file = sprintf("%s/%d.dat", dir, s)
			for (j = 1; j <= nz; j++) {
				z = zs[j]
				if (!((k SUBSEP z, "n") in L))
					continue
				printf "%.6g %s %s\n", z / 1048576, \
				       show(L, k SUBSEP z), show(R, k SUBSEP z) > file
			}
			close(file)
			split(k, a, SUBSEP)
			t[s] = base_label(a)
			d[s] = pnum[a[1]]
		}
		# y ranges: the gp keeps zero losses visible above the axis
		printf "lost_max = %.6g; ram_max = %.6g\n", L["max"], R["max"] > vars
		printf "n = %d\n", nk > vars
		if (nk == 0)
			exit
		printf "array t[%d]; array d[%d]\n", nk, nk > vars
		for (j = 1; j <= nk; j++)
			printf "t[%d] = %s; d[%d] = %d\n", j, gpstr(t[j]), j, \
			       d[j] > vars
		print xtics(sz) > vars
	}' "$RES/capacity.csv"
}

# --- per arch and page size (a matrix) -------------------------------------
# arch_series DIR: one row per (cell, path) with a column per mode: left
# the pages each block withheld (withheld_pages / blocks: its altmap, memmap
# on the device plus force padding) in MiB; right the median add latency
# (ms) of the smallest size, host side else guest.  Writes DIR/lost.dat,
# DIR/lat.dat ("label" off on force; NaN where not measured), DIR/vars.gp.
arch_series() {
	awk -F, -v multi=0 -v dir="$1" -v run="$RUN" -v NEED="arch page_size \
path memmap_on_memory blocks withheld_pages status" \
		"$AWK_FUNCS$AWK_CSV"'
	f("status") != "ok" || !isnum(f("withheld_pages")) || f("blocks") <= 0 { next }
	{
		k = cell() " " pathkey()
		keys[k] = f("arch") "\034" pad(f("page_size")) "\034" pathkey()
		m = f("memmap_on_memory")
		s[k, m] += f("withheld_pages") * f("page_size") / f("blocks") / 1048576
		c[k, m]++
	}
	END {
		for (km in c)
			lost[km] = s[km] / c[km]
		n = write_modes(dir "/lost.dat", keys, lost)
		printf "run = %s\nn = %d\n", gpstr(run), n > dir "/vars.gp"
	}' "$RES/capacity.csv"
	[ -f "$RES/summary.csv" ] || return 0
	awk -F, -v multi=0 -v dir="$1" -v NEED="arch page_size path mode \
size_bytes operation side median_ns" "$AWK_FUNCS$AWK_CSV"'
	f("operation") != "add" || !isnum(f("median_ns")) { next }
	f("side") != "host" && f("side") != "guest" { next }
	{
		k = cell() " " pathkey()
		keys[k] = f("arch") "\034" pad(f("page_size")) "\034" pathkey()
		m = f("mode")
		z = pad(bytes(f("size_bytes")))
		# the smallest size; host beats guest at the same size
		if (!((k, m) in best) || z < bz[k, m] ||
		    (z == bz[k, m] && f("side") == "host")) {
			best[k, m] = f("median_ns") / 1e6
			bz[k, m] = z
		}
	}
	END {
		n = write_modes(dir "/lat.dat", keys, best)
		printf "n_lat = %d\n", n >> dir "/vars.gp"
	}' "$RES/summary.csv"
}

# draw NAME WIDTH HEIGHT: run plots/NAME.gp on $TMP/NAME into both formats
draw() {
	for fmt in png svg; do
		case $fmt in
		png) term="$PNGTERM size $2,$3 noenhanced" ;;
		svg) term="svg size $2,$3 dynamic noenhanced font 'sans,11' background '#ffffff'" ;;
		esac
		out="$OUT/$1.$fmt"
		gnuplot -e "set terminal $term; set output '$out'; dat = '$TMP/$1'" \
			"$HERE/$1.gp" || die "gnuplot failed on $HERE/$1.gp"
		[ -s "$out" ] || die "gnuplot wrote nothing to $out"
		echo "$out"
	done
}

# vars.gp says "n = 0" (or n_add = 0, ...) when there is nothing to draw
has_series() {
	[ -f "$TMP/$1/vars.gp" ] && grep -q '^n[_a-z]* = [1-9]' "$TMP/$1/vars.gp"
}

# how many (arch, page size) cells the rows come from: more than one is a
# matrix (hpbench --arch/--page-sizes lists), whose series name their cell
MULTI=0
if [ -f "$RES/capacity.csv" ]; then
	MULTI=$(awk -F, -v NEED="arch page_size" "$AWK_FUNCS$AWK_CSV"'
	{ seen[cell()] = 1 }
	END { for (c in seen) n++; print (n > 1) ? 1 : 0 }' "$RES/capacity.csv" 2>/dev/null || echo 0)
fi

mkdir "$TMP/latency-vs-size" "$TMP/latency-vs-online" "$TMP/capacity-lost" \
	"$TMP/arch"

# A matrix's directory (matrix.csv): each cell's own plots, drawn from its
# own directory into OUT/CELL/, and here only the cells side by side.
if [ "$MULTI" = 1 ] && [ -f "$RES/matrix.csv" ]; then
	for cell in "$RES"/*/; do
		cell=${cell%/}
		[ -f "$cell/capacity.csv" ] || [ -f "$cell/latency.csv" ] || continue
		sh "$0" "$cell" "$OUT/$(basename "$cell")" ||
			die "the plots of $(basename "$cell") failed"
	done
	CELLS_DONE=1
fi

# the plots of one run: latency against size and online memory, capacity
per_run_plots() {
	summary_rows | size_series "$TMP/latency-vs-size"
	if has_series latency-vs-size; then
		draw latency-vs-size 1200 560
	elif [ -f "$RES/summary.csv" ] || [ -f "$RES/latency.csv" ]; then
		note "skipping latency-vs-size: no usable add/online rows in summary.csv or latency.csv"
	else
		note "skipping latency-vs-size: no summary.csv or latency.csv"
	fi

	if [ -f "$RES/latency.csv" ]; then
		requests "$RES/latency.csv" | online_series "$TMP/latency-vs-online"
	fi
	if has_series latency-vs-online; then
		draw latency-vs-online 1200 600
	elif [ ! -f "$RES/latency.csv" ]; then
		note "skipping latency-vs-online: no latency.csv"
	else
		note "skipping latency-vs-online: no usable add rows in latency.csv"
	fi

	if [ -f "$RES/capacity.csv" ]; then
		capacity_series "$TMP/capacity-lost"
	fi
	if has_series capacity-lost; then
		draw capacity-lost 1200 560
	elif [ ! -f "$RES/capacity.csv" ]; then
		note "skipping capacity-lost: no capacity.csv"
	else
		note "skipping capacity-lost: no usable rows (status ok, with path, size_bytes, usable_bytes) in capacity.csv"
	fi
}
[ "${CELLS_DONE:-0}" = 1 ] || per_run_plots

# per-arch panels only for a matrix: one cell has the plots above
if [ "$MULTI" = 1 ]; then
	arch_series "$TMP/arch"
	if [ -s "$TMP/arch/lost.dat" ]; then
		draw arch 1400 640
	else
		note "skipping arch: no usable rows with arch, page_size and withheld_pages in capacity.csv"
	fi
fi
