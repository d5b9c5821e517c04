# Sourced first by every benchmark script (run.sh, views.sh, answers.sh, writes.sh, faults.sh):
# where a run's results go, and whether it writes them into docs/PERFORMANCE.md. A run keeps
# everything it measured in a folder of its own, bench/results/NAME-<UTC time>/, and changes the
# tracked document only when asked (--update-doc), so that a trial or a reduced run leaves it alone.
#
#   bench_results NAME "$@"        RESULTS and RUN_RESULTS, that folder, made (a script may
#                                  move RESULTS into a subfolder); UPDATE_DOC=yes with --update-doc
#   update_doc BLOCK FILE SETTINGS with --update-doc: FILE's text, after a line saying when, with
#                                  what settings and on what machine, as the block between
#                                  <!-- BLOCK --> and <!-- /BLOCK --> of docs/PERFORMANCE.md

bench_results() {
  BENCH_NAME=$1
  shift
  UPDATE_DOC=no
  for argument in "$@"; do
    case "$argument" in
      --update-doc) UPDATE_DOC=yes ;;
      *) echo "$BENCH_NAME: unknown argument $argument (the only one is --update-doc; settings are variables)" >&2
         exit 2 ;;
    esac
  done
  RUN_RESULTS=bench/results/$BENCH_NAME-$(date -u +%Y%m%d-%H%M%S)
  RESULTS=$RUN_RESULTS
  mkdir -p "$RESULTS"
  echo "Results in $RESULTS"
}

update_doc() {
  local block=$1 file=$2 settings=$3
  if [ "$UPDATE_DOC" != yes ]; then
    echo "Results in $RUN_RESULTS; docs/PERFORMANCE.md unchanged (bash bench/$BENCH_NAME.sh --update-doc writes them into it)"
    return
  fi
  python3 - "$block" "$file" "$settings bash bench/$BENCH_NAME.sh" <<'PY'
import datetime, platform, subprocess, sys
block, file, command = sys.argv[1:]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
memory = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
doc = "docs/PERFORMANCE.md"
lines = open(doc).read().split("\n")
start, end = "<!-- %s -->" % block, "<!-- /%s -->" % block
# The markers are lines of their own (the text may name them).
if start not in lines or end not in lines[lines.index(start):]:
    sys.exit("%s has no block %s ... %s to write into" % (doc, start, end))
measured = "Measured %s UTC with `%s`\non %s cores of %s, %.0f GiB of memory, %s, %s." % (
    datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"), command.strip(),
    subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(), cpu, int(memory) / 1048576,
    platform.platform(), java)
first = lines.index(start)
last = lines.index(end, first)
table = open(file).read().rstrip("\n").split("\n")
open(doc, "w").write("\n".join(lines[:first + 1] + measured.split("\n") + [""] + table + lines[last:]))
PY
  echo "Results in $RUN_RESULTS; written into docs/PERFORMANCE.md (<!-- $block -->)"
}
