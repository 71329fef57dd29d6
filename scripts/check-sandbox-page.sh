#!/usr/bin/env bash
# Loads a sandbox page in headless Chromium and checks it as a person would see it:
#   scripts/check-sandbox-page.sh [--title TITLE]... [--videos N] URL SCREENSHOT.png
# - every --title is the text of one video card's heading (`<h3 class="title">`), in any order;
# - the page has at least N `<video>` elements (default 1) and every one of them can play: its
#   `data-state` (set by the page's inline script from the media events) is `canplay`;
# - a 1280×900 screenshot is saved to SCREENSHOT.
# The URL may carry the account's keys as user:password (http://PUBLIC:SECRET@127.0.0.1:PORT/).
# Needs chromium (Debian: apt-get install -y chromium) and python3. Exit 0 when every check passes,
# 1 when one fails, 2 on bad usage, 77 when chromium is missing.
set -euo pipefail

titles=()
videos=1
while [ $# -gt 0 ]; do
    case "$1" in
    --title) titles+=("$2"); shift 2 ;;
    --videos) videos="$2"; shift 2 ;;
    --) shift; break ;;
    -*) echo "check-sandbox-page: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
[ $# -eq 2 ] || { echo "usage: $0 [--title TITLE]... [--videos N] URL SCREENSHOT.png" >&2; exit 2; }
url="$1"
screenshot="$2"

browser="${CHROMIUM:-}"
if [ -z "$browser" ]; then
    for candidate in chromium chromium-browser google-chrome; do
        if command -v "$candidate" > /dev/null 2>&1; then browser="$candidate"; break; fi
    done
fi
if [ -z "$browser" ] || ! command -v "$browser" > /dev/null 2>&1; then
    echo "check-sandbox-page: chromium is not installed (Debian: apt-get install -y chromium)" >&2
    exit 77
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A profile of its own, so runs at the same time do not share (and lock) one.
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --mute-audio --no-first-run
    --user-data-dir="$work/profile" --autoplay-policy=no-user-gesture-required)

# The page's checks on a DOM dump, in python3: exit 0 when they pass (the problems on stderr otherwise).
check_dom() {
    python3 - "$work/dom.html" "$videos" "${titles[@]+"${titles[@]}"}" <<'PY'
import sys
from html.parser import HTMLParser

path, want_videos, want_titles = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.titles, self.videos, self.current = [], [], None
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h3" and "title" in (attrs.get("class") or "").split():
            self.current = ""
        if tag == "video":
            self.videos.append(attrs)
    def handle_data(self, data):
        if self.current is not None:
            self.current += data
    def handle_endtag(self, tag):
        if tag == "h3" and self.current is not None:
            self.titles.append(self.current.strip())
            self.current = None

page = Page()
page.feed(open(path, encoding="utf-8").read())
problems = []
for title in want_titles:
    if title not in page.titles:
        problems.append(f"no video titled {title!r} (titles on the page: {page.titles})")
if len(page.videos) < want_videos:
    problems.append(f"{len(page.videos)} <video> elements, expected at least {want_videos}")
for video in page.videos:
    if video.get("data-state") != "canplay":
        problems.append(f"<video src={video.get('src')!r}> cannot play: data-state={video.get('data-state')!r}")
for problem in problems:
    print("check-sandbox-page: " + problem, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"check-sandbox-page: {len(want_titles)} titles found among {len(page.titles)}; {len(page.videos)} videos, every one can play")
PY
}

# The DOM after the media had time to load (virtual time lets the page's network and events run). On a
# loaded machine the media may need longer: a second, longer try before failing.
for budget in 5000 20000; do
    if ! timeout 120 "$browser" "${flags[@]}" --virtual-time-budget=$budget --dump-dom "$url" > "$work/dom.html" 2> "$work/dom.log"; then
        echo "check-sandbox-page: chromium failed to load $url:" >&2
        tail -20 "$work/dom.log" >&2
        exit 1
    fi
    if check_dom 2> "$work/problems.txt"; then break; fi
    if [ "$budget" = 20000 ]; then cat "$work/problems.txt" >&2; exit 1; fi
    echo "check-sandbox-page: not yet ($(head -1 "$work/problems.txt")); trying again with more time" >&2
done

mkdir -p "$(dirname "$screenshot")"
rm -f "$screenshot"
if ! timeout 120 "$browser" "${flags[@]}" --virtual-time-budget=5000 --window-size=1280,900 --screenshot="$screenshot" "$url" \
    > "$work/shot.log" 2>&1 || [ ! -s "$screenshot" ]; then
    echo "check-sandbox-page: no screenshot at $screenshot:" >&2
    tail -20 "$work/shot.log" >&2
    exit 1
fi
echo "check-sandbox-page: screenshot $screenshot"
