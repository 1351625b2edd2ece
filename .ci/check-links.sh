#!/usr/bin/env bash
# Checks the relative links of README.md and every Markdown file under docs/, and the README's length.
#
# For every Markdown link or image, [text](target) or ![alt](target), and every reference definition,
# [label]: target, outside code blocks and code spans: a target with a scheme (http:, https:, mailto:, ...) is
# skipped; any other target is resolved against the folder of the file that holds it (a leading / against the
# repository's root) and must exist. A #fragment into a Markdown file (or a pure #fragment, into the same file)
# must be one of that file's heading anchors, computed as GitHub does: the heading's text, lowercased, with
# punctuation dropped except '-' and '_', each space turned into '-', and -1, -2, ... appended to repeats.
# Needs only bash, coreutils, grep, sed and awk (mawk or gawk). Exit status 1 lists every problem.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

readonly MAX_README_LINES=250

# One awk program, two modes: "links" prints "line<TAB>target" for each link; "anchors" prints each anchor.
read -r -d '' MARKDOWN_AWK <<'AWK' || true
function fence_toggle(line,   m, c, n) {
	# Opens or closes a fenced code block; returns 1 when the line is a fence line.
	if (!match(line, /^ ? ? ?(```+|~~~+)/)) return 0
	m = substr(line, RSTART, RLENGTH); sub(/^ +/, "", m)
	c = substr(m, 1, 1); n = length(m)
	if (fence_char == "") {
		if (c == "`" && index(substr(line, RSTART + RLENGTH), "`") > 0) return 0   # ```x``` is a code span
		fence_char = c; fence_len = n; return 1
	}
	if (c == fence_char && n >= fence_len && substr(line, RSTART + RLENGTH) ~ /^[ \t]*$/) {
		fence_char = ""; return 1
	}
	return 1
}
function strip_code_spans(s) {
	gsub(/``[^`]+``/, "", s)
	gsub(/`[^`]+`/, "", s)
	return s
}
function link_target(s,   t) {
	# s is what stands between the parentheses: a destination, optionally followed by a title.
	sub(/^[ \t]+/, "", s)
	if (substr(s, 1, 1) == "<") {
		t = substr(s, 2); sub(/>.*/, "", t); return t
	}
	sub(/[ \t].*/, "", s)
	return s
}
function print_links(s,   m, inner) {
	while (match(s, /\[[^]]*\]\([^)]*\)/)) {
		m = substr(s, RSTART, RLENGTH)
		s = substr(s, RSTART + RLENGTH)
		inner = m; sub(/^\[[^]]*\]\(/, "", inner); sub(/\)$/, "", inner)
		print NR "\t" link_target(inner)
	}
}
function slug(text,   out, i, c, n, k) {
	# The heading's text as GitHub renders it, then GitHub's anchor rules.
	sub(/^ ? ? ?#+[ \t]*/, "", text)
	sub(/[ \t]+#+[ \t]*$/, "", text)
	sub(/^[ \t]+/, "", text); sub(/[ \t]+$/, "", text)
	while (match(text, /!?\[[^]]*\]\([^)]*\)/)) {            # a link or image in a heading: its text
		k = substr(text, RSTART, RLENGTH); sub(/^!?\[/, "", k); sub(/\]\(.*$/, "", k)
		text = substr(text, 1, RSTART - 1) k substr(text, RSTART + RLENGTH)
	}
	gsub(/<[^>]*>/, "", text)                                  # inline HTML tags
	text = tolower(text)
	for (i = 1; i <= NSYM; i++) while ((k = index(text, SYM[i])) > 0)
		text = substr(text, 1, k - 1) substr(text, k + length(SYM[i]))
	out = ""
	for (i = 1; i <= length(text); i++) {
		c = substr(text, i, 1)
		if (index(PUNCT, c) > 0) continue
		out = out ((c == " ") ? "-" : c)
	}
	if (out in seen) { seen[out]++; out = out "-" seen[out] } else seen[out] = 0
	return out
}
BEGIN {
	fence_char = ""
	PUNCT = "!\"#$%&'()*+,./:;<=>?@[\\]^`{|}~\t"
	# Unicode punctuation and symbols that headings may contain: GitHub drops them (letters such as µ stay)
	NSYM = split("— – ‐ ‑ ‒ ― ÷ × → ← ↔ ⇒ ≤ ≥ ≈ ≠ ± … ‘ ’ “ ” « » · • ° § © ® ™ € £ ✓ ✔ ✗", SYM, " ")
}
{
	line = $0
	if (fence_toggle(line) || fence_char != "") { prev = ""; next }
	if (mode == "links") {
		if (match(line, /^ ? ? ?\[[^]]+\]:[ \t]*[^ \t]+/)) {         # reference definition
			m = substr(line, RSTART, RLENGTH); sub(/^[^]]*\]:[ \t]*/, "", m)
			print NR "\t" link_target(m)
		}
		print_links(strip_code_spans(line))
	}
	else {
		if (line ~ /^ ? ? ?#+([ \t]|$)/) {                            # ATX heading, one to six #
			h = line; sub(/^ +/, "", h); match(h, /^#+/)
			if (RLENGTH <= 6) print slug(line)
		}
		else if (prev != "" && line ~ /^ ? ? ?(=+|-+)[ \t]*$/ && prev !~ /^[ \t]*([|#>*+-]|[0-9]+\.)/) {
			print slug(prev)                                         # setext heading
		}
		rest = line
		while (match(rest, /<a [^>]*(name|id)="[^"]+"/)) {             # explicit HTML anchors
			k = substr(rest, RSTART, RLENGTH); rest = substr(rest, RSTART + RLENGTH)
			sub(/^.*(name|id)="/, "", k); sub(/"$/, "", k); print k
		}
	}
	prev = (line ~ /^[ \t]*$/) ? "" : line
}
AWK

declare -A ANCHORS=()
has_anchor() {   # file fragment: whether the Markdown file has that anchor; each file's anchors computed once
	if [[ -z ${ANCHORS[$1]+set} ]]; then
		ANCHORS[$1]="$(awk -v mode=anchors "$MARKDOWN_AWK" "$1")"
	fi
	grep -qxF -- "$2" <<< "${ANCHORS[$1]}"
}

url_decode() {   # %20 and friends, as a browser would before asking for the file
	local s=${1//+/ }
	printf '%b' "${s//%/\\x}"
}

problems=0
report() { echo "$1" >&2; problems=$((problems + 1)); }

files=(README.md)
# docs/ and the reports under it (docs/results/, docs/results/earlier/)
while IFS= read -r file; do files+=("$file"); done < <(find docs -name '*.md' | sort)

checked=0
for file in "${files[@]}"; do
	dir=$(dirname "$file")
	while IFS=$'\t' read -r line target; do
		[[ -z $target ]] && { report "$file:$line: empty link target"; continue; }
		# Absolute URLs (any scheme, or protocol-relative) are not checked
		[[ $target =~ ^[A-Za-z][A-Za-z0-9+.-]*: || $target == //* ]] && continue
		checked=$((checked + 1))
		path=${target%%#*}
		fragment=""
		[[ $target == *"#"* ]] && fragment=${target#*#}
		if [[ -z $path ]]; then
			resolved=$file
		else
			path=$(url_decode "$path")
			if [[ $path == /* ]]; then resolved=.${path}; else resolved=$dir/$path; fi
			if [[ ! -e $resolved ]]; then
				report "$file:$line: $target: no such file or folder ($resolved)"
				continue
			fi
		fi
		if [[ -n $fragment && $resolved == *.md && -f $resolved ]]; then
			if ! has_anchor "$resolved" "$fragment"; then
				report "$file:$line: $target: no heading in $resolved has the anchor #$fragment"
			fi
		fi
	done < <(awk -v mode=links "$MARKDOWN_AWK" "$file")
done

readme_lines=$(wc -l < README.md)
if ((readme_lines >= MAX_README_LINES)); then
	report "README.md: $readme_lines lines; keep it under $MAX_README_LINES and move the detail to docs/"
fi

if ((problems > 0)); then
	echo "check-links: $problems problem(s) in ${#files[@]} file(s)" >&2
	exit 1
fi
echo "check-links: ${#files[@]} files, $checked relative links and anchors resolve; README.md has $readme_lines lines"
