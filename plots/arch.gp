# SPDX-License-Identifier: MIT
# arch.gp - a matrix run (hpbench --arch/--page-sizes lists) side by side:
# one cluster per (arch, page size, path), one bar per memmap_on_memory
# mode.  Left: MiB each memory block withheld from the buddy (its altmap:
# the memmap on the device plus force padding; 0 when the memmap is in
# RAM).  Right: median latency of one add of the smallest size (host side
# where there is one, else the guest's).
#
# Run by plots/plot.sh, which sets terminal and output and `dat`, the
# directory with vars.gp (run, n, n_lat), lost.dat and lat.dat ("label"
# off on force, NaN where not measured).
load dat.'/vars.gp'

set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set xtics rotate by -35 left nomirror
set key top left box opaque
set yrange [0:*]
set datafile missing 'NaN'
set bmargin 10

set multiplot layout 1, 2 title sprintf('hpbench %s: per arch and page size', run)
set title 'withheld per memory block (altmap: memmap on the device + padding)'
set ylabel 'MiB per block'
plot dat.'/lost.dat' using 2:xtic(1) title 'off' lc rgb '#0072b2', \
	'' using 3 title 'on' lc rgb '#d55e00', \
	'' using 4 title 'force' lc rgb '#009e73'
if (exists('n_lat') && n_lat > 0) {
	set title 'add latency, smallest size (median; host side, else guest)'
	set ylabel 'ms'
	plot dat.'/lat.dat' using 2:xtic(1) title 'off' lc rgb '#0072b2', \
		'' using 3 title 'on' lc rgb '#d55e00', \
		'' using 4 title 'force' lc rgb '#009e73'
}
unset multiplot
