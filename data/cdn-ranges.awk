# Turn data/cdn-ranges.txt into a C initializer (src/cdn_ranges.h).
BEGIN {
	print "/* Generated from data/cdn-ranges.txt by data/cdn-ranges.awk. */"
}
/^[ \t]*#/ || NF == 0 { next }
{
	split($1, p, "/")
	if (p[2] == "" || p[2] !~ /^[0-9]+$/) {
		print "cdn-ranges.txt:" NR ": bad prefix " $1 > "/dev/stderr"
		exit 1
	}
	name = $2
	for (i = 3; i <= NF; i++)
		name = name " " $i
	printf "\t{ \"%s\", %d, \"%s\" },\n", p[1], p[2], name
}
