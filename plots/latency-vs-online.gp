# SPDX-License-Identifier: MIT
# latency-vs-online.gp - add latency against the hot-added memory already
# online before the request: does adding get slower as the zone grows?
# One series per (path, mode, size): every request as a hollow point,
# the median over trials as a line.
#
# Run by plots/plot.sh, which sets terminal and output and `dat`, the
# directory with vars.gp (n, t[], c[] colour per (path, mode), d[] per
# size, run) and N-raw.dat / N-med.dat (GiB, ms).
load dat.'/vars.gp'

colors = '#0072b2 #d55e00 #009e73 #cc79a7 #e69f00 #56b4e9 #000000 #999999'
do for [i = 1:8] {
	set linetype i lc rgb word(colors, i) lw 2
}
set linetype cycle 8
# per size: filled point for the median, hollow for single requests
med_pt(s) = word('7 5 9 13 11 15', (s - 1) % 6 + 1) + 0
raw_pt(s) = word('6 4 8 12 10 14', (s - 1) % 6 + 1) + 0

set grid
set title sprintf("hpbench %s: add latency as hot-added memory grows\n(points: single requests; line: median over trials)", run)
set xlabel 'hot-added memory already online before the request (GiB)'
set ylabel 'add latency (ms)'
set yrange [0:*]
# no padding to the next tic: negative GiB would mean nothing
set autoscale xfix
set offsets graph 0.03, graph 0.03, graph 0.05, 0
set key outside right top box

plot for [i = 1:n] sprintf('%s/%d-raw.dat', dat, i) using 1:2 \
		with points lt c[i] pt raw_pt(d[i]) ps 0.8 notitle, \
	for [i = 1:n] sprintf('%s/%d-med.dat', dat, i) using 1:2 \
		with linespoints lt c[i] dt d[i] pt med_pt(d[i]) ps 1.2 \
		title t[i]
