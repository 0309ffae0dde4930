# SPDX-License-Identifier: MIT
# latency-vs-size.gp - median latency of one hot-add request against its
# size, one line per (path, mode), bars from p10 to p90.  Left: add, host
# side; right: online, guest side.
#
# Run by plots/plot.sh, which sets terminal and output and `dat`, the
# directory with vars.gp (n_add, add_t[], add_c[], n_online, online_t[],
# online_c[], run, xtics) and add-N.dat / online-N.dat (MiB, median ms,
# p10 ms, p90 ms).
load dat.'/vars.gp'

# colour-blind safe; one colour per (path, mode) in both panels
colors = '#0072b2 #d55e00 #009e73 #cc79a7 #e69f00 #56b4e9 #000000 #999999'
do for [i = 1:8] {
	set linetype i lc rgb word(colors, i) lw 2 pt (word('7 5 9 13 11 15 4 6', i) + 0) ps 1.2
}
set linetype cycle 8

set grid
set logscale x 2
set xlabel 'request size (MiB, log2 scale)'
set ylabel 'latency (ms)'
set yrange [0:*]
# room for the end points' error bars
set offsets graph 0.08, graph 0.08, graph 0.1, 0
set key top left box opaque

panels = (n_add > 0) + (n_online > 0)
set multiplot layout 1, panels title sprintf('hpbench %s: latency vs request size (median, bars p10-p90)', run)
if (n_add > 0) {
	set title 'add, host side'
	plot for [i = 1:n_add] sprintf('%s/add-%d.dat', dat, i) \
		using 1:2:3:4 with yerrorlines lt add_c[i] title add_t[i]
}
if (n_online > 0) {
	set title 'online, guest side'
	plot for [i = 1:n_online] sprintf('%s/online-%d.dat', dat, i) \
		using 1:2:3:4 with yerrorlines lt online_c[i] title online_t[i]
}
unset multiplot
