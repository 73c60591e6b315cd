# gen_history.awk: a git fast-import stream for tests/bench/history.sh.
#
#   awk -v files=5000 -v commits=10000 -f tests/bench/gen_history.awk | git fast-import
#
# The first `files` commits each add one Markdown file under content/ (in 50
# folders); the rest each edit one line of a file chosen at random, and
# every 100th renames a file (every 200th with an edit). Every 500th starts
# a side branch of 3 commits that is merged back with a merge commit. Dates
# increase by a minute per commit; everything is determined by the seed.
#
# -v bulk=1: the first commit adds every file at once, and every commit
# after it edits, renames or merges (the shape of a large dossier: a long
# history over many files); each file then starts with a '# Page N' title,
# so the repository builds as a site. -v big=N: files 1..N live in one folder,
# content/big/ (and are renamed within it), the rest in the 50 folders.
BEGIN {
	if (!files) files = 5000
	if (!commits) commits = 10000
	seed = 12345
	t = 1600000000
	mark = 0
	for (i = 1; i <= files; i++) {
		path[i] = i <= big ? sprintf("content/big/page-%05d.md", i) \
			  : sprintf("content/s%02d/page-%05d.md", i % 50, i)
		nl[i] = 12 + rnd(20)
		for (l = 1; l <= nl[i]; l++)
			line[i, l] = words(8 + rnd(8))
	}
	for (c = 1; c <= commits; c++) {
		if (bulk && c == 1)
			add_all()
		else if (!bulk && c <= files)
			add(c)
		else if (c % 500 == 0)
			side_branch()
		else if (c % 100 == 0)
			rename(rnd(files) + 1, c % 200 == 0)
		else
			edit(rnd(files) + 1)
	}
	printf "reset refs/heads/main\nfrom :%d\n\n", last_main
}

function rnd(n) {
	# Park-Miller: products stay below 2^53, exact in any awk's doubles.
	seed = (seed * 16807) % 2147483647
	return seed % n
}

function words(n,    s, k, w, j) {
	s = ""
	for (k = 0; k < n; k++) {
		w = ""
		for (j = 0; j < 2 + rnd(8); j++)
			w = w sprintf("%c", 97 + rnd(26))
		s = s (k ? " " : "") w
	}
	return s
}

function content(i,    s, l) {
	s = bulk ? sprintf("# Page %05d\n\n", i) : ""
	for (l = 1; l <= nl[i]; l++)
		s = s line[i, l] "\n"
	return s
}

function data(s) {
	printf "data %d\n%s\n", length(s), s
}

# header(branch, message, from): a commit on `branch`, continuing from mark
# `from` (0: the branch's own last commit).
function header(branch, msg, from) {
	mark++
	t += 60
	printf "commit refs/heads/%s\nmark :%d\n", branch, mark
	printf "author Bench Author <bench@example.org> %d +0000\n", t
	printf "committer Bench Author <bench@example.org> %d +0000\n", t
	data(msg)
	if (from)
		printf "from :%d\n", from
	if (branch == "main")
		last_main = mark
}

function put(i) {
	printf "M 100644 inline %s\n", path[i]
	data(content(i))
}

function add(i) {
	header("main", "add " path[i], 0)
	put(i)
	printf "\n"
}

function add_all(    i) {
	header("main", "add " files " files", 0)
	for (i = 1; i <= files; i++)
		put(i)
	printf "\n"
}

function edit(i) {
	line[i, 1 + rnd(nl[i])] = words(8 + rnd(8))
	header("main", "edit " path[i], 0)
	put(i)
	printf "\n"
}

function rename(i, change,    old) {
	old = path[i]
	path[i] = i <= big ? sprintf("content/big/moved-%05d-%d.md", i, mark) \
		  : sprintf("content/s%02d/moved-%05d-%d.md", rnd(50), i, mark)
	header("main", "rename " old, 0)
	printf "D %s\n", old
	if (change)
		line[i, 1] = words(8)
	put(i)
	printf "\n"
}

function side_branch(    k, base, f, n) {
	base = last_main
	n = 0
	for (k = 0; k < 3; k++) {
		f[k] = rnd(files) + 1
		line[f[k], 1] = words(9)
		header("side", "side edit " path[f[k]], k == 0 ? base : 0)
		put(f[k])
		printf "\n"
	}
	side = mark
	edit(rnd(files) + 1)
	header("main", "merge side", 0)
	printf "merge :%d\n", side
	for (k = 0; k < 3; k++)
		put(f[k])
	printf "\n"
}
