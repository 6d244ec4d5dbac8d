#!/bin/sh
# Checks which kinds of file `cfgate compile` reads as policy sources. An
# include of a FIFO or of a device (through a link named *.gate) is an
# error at once that names the file and its type, without waiting for a
# writer. A device named on the command line (/dev/null) is an error too,
# but a FIFO named there is read whatever its name, as the shell's
# <(command) gives /dev/fd/63.
# Usage: policy_file_types.sh CFGATE SCHEMAS WORKDIR
set -u
cfgate=$1 schemas=$2 work=$3
status=0
rm -rf "$work" && mkdir -p "$work" || exit 2

# Runs compile with its arguments and checks the exit status and one line of the output.
expect() {
  name=$1 code_expected=$2 line=$3
  shift 3
  output=$(timeout 60 "$cfgate" compile "$@" --schemas "$schemas" -o "$work/out-$name" 2>&1)
  code=$?
  if [ "$code" -ne "$code_expected" ]; then
    echo "$name: exit status $code, expected $code_expected"; status=1
  fi
  case $output in
    *"$line"*) ;;
    *) echo "$name: the output lacks: $line"; printf '%s\n' "$output"; status=1 ;;
  esac
}

mkfifo "$work/fifo.gate" "$work/policy-pipe" || exit 2
ln -s /dev/null "$work/null.gate" || exit 2
printf 'include "fifo.gate"\ntype AWS::SQS::Queue {\n  QueueName\n}\n' > "$work/fifo-include.gate"
printf 'include "null.gate"\ntype AWS::SQS::Queue {\n  QueueName\n}\n' > "$work/null-include.gate"

expect fifo-include 2 \
  "$work/fifo-include.gate:1:9: error: '$work/fifo.gate' is a FIFO, not a regular file: an include names a .gate file (a FIFO is read only when named on the command line) [io]" \
  "$work/fifo-include.gate"
expect null-include 2 \
  "$work/null-include.gate:1:9: error: '$work/null.gate' is a character device, not a regular file: an include names a .gate file [io]" \
  "$work/null-include.gate"
expect dev-null 2 \
  "cfgate: error: '/dev/null' is a character device, not a policy file: pass .gate files, folders of them, or a FIFO such as the shell's <(command) [io]" \
  /dev/null

printf 'type AWS::SQS::Queue {\n  QueueName\n}\n' > "$work/policy-pipe" &
writer=$!
expect fifo-argument 0 "" "$work/policy-pipe"
# A compile that failed before it opened the FIFO leaves the writer blocked.
kill "$writer" 2>/dev/null
wait
[ -f "$work/out-fifo-argument/templates/aws-sqs-queue.json" ] ||
  { echo "fifo-argument: no template written"; status=1; }
exit $status
