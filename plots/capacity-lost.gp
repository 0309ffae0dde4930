# SPDX-License-Identifier: MIT
# capacity-lost.gp - what a hot-add costs in memory, per (path, mode),
# against the size added: left, device capacity that never became usable
# (size - usable: memmap on the device, reserve, trimming); right, the
# memmap taken from existing RAM instead (memmap_pages * 4 KiB when it is
# not on the device).  Means over trials, bars min..max.
#
# Run by plots/plot.sh, which sets terminal and output and `dat`, the
# directory with vars.gp (n, t[], d[] per path, lost_max, ram_max, run,
# xtics) and N.dat (MiB; lost mean, min, max; RAM mean, min, max in MiB).
load dat.'/vars.gp'

colors = '#0072b2 #d55e00 #009e73 #cc79a7 #e69f00 #56b4e9 #000000 #999999'
do for [i = 1:8] {
	set linetype i lc rgb word(colors, i) lw 2
}
set linetype cycle 8
# per path: its own point, dash and width, so equal series stay visible
# (a thin dashed line over a thick solid one)
path_pt(p) = word('7 5 9 13 11 15', (p - 1) % 6 + 1) + 0
path_lw(p) = p == 1 ? 5 : 2

set grid
set logscale x 2
set xlabel 'hot-added size (MiB, log2 scale)'
set offsets graph 0.08, graph 0.08, 0, 0
set key top left box opaque
# zero stays visible just above the bottom border
yr(m) = m > 0 ? m : 1

set multiplot layout 1, 2 title sprintf('hpbench %s: memory cost of a hot-add (mean over trials, bars min-max)', run)
set title 'device capacity lost (size - usable)'
set ylabel 'capacity lost (MiB)'
set yrange [-0.05 * yr(lost_max) : 1.15 * yr(lost_max)]
plot for [i = 1:n] sprintf('%s/%d.dat', dat, i) using 1:2:3:4 \
	with yerrorlines lt i dt d[i] lw path_lw(d[i]) pt path_pt(d[i]) \
		title t[i]
set title 'memmap taken from RAM (memmap not on the device)'
set ylabel 'RAM used for memmap (MiB)'
set yrange [-0.05 * yr(ram_max) : 1.15 * yr(ram_max)]
plot for [i = 1:n] sprintf('%s/%d.dat', dat, i) using 1:5:6:7 \
	with yerrorlines lt i dt d[i] lw path_lw(d[i]) pt path_pt(d[i]) \
		title t[i]
unset multiplot
