#!/bin/sh -e
echo "script args: $0 $*"
exit 6
