# SPDX-License-Identifier: GPL-2.0
# The bash completion (scripts/hotsplice.bash-completion, installed by the
# Debian package) completes every subcommand and every option of each.
bc=/usr/share/bash-completion/bash_completion
test -r $bc || { echo "FAIL: bash-completion is not installed (make deps)"; exit 1; }
export PATH=$(dirname "$HS"):$PATH
# complete WORDS...: what the completion offers for the last word
cat > comp.sh <<'EOS'
. /usr/share/bash-completion/bash_completion
. "$HS_ROOT/scripts/hotsplice.bash-completion"
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
_hotsplice
printf '%s\n' "${COMPREPLY[@]}" | sort
EOS
bash comp.sh hotsplice '' > cmds.out &&
$HS help | awk '/^commands:/ {on=1; next} on && !NF {exit} on {print $1}' | sort > cmds.expect &&
test_grep '^deb$' cmds.expect &&
for c in $(cat cmds.expect); do grep -qx "$c" cmds.out || { echo "FAIL: '$c' not completed"; exit 1; }; done &&
bash comp.sh hotsplice cr > cr.out && echo create > cr.expect && test_cmp cr.expect cr.out &&
for c in $(cat cmds.expect); do
	bash comp.sh hotsplice "$c" - > o.out
	for o in $($HS help "$c" | sed -n 's/^usage: //p' | grep -oE '[[ (|]--?[a-z][a-z-]*' | cut -c2-); do
		grep -qx -- "$o" o.out || { echo "FAIL: '$c $o' not completed"; cat o.out; exit 1; }
	done
done &&
bash comp.sh hotsplice apply --t > t.out && echo --timeout > t.expect && test_cmp t.expect t.out &&
bash comp.sh hotsplice deb --deb > d.out && printf '%s\n' --deb-version > d.expect && test_cmp d.expect d.out &&
touch a.hsu b.txt && bash comp.sh hotsplice show '' > f.out && test_grep '^a[.]hsu$' f.out &&
! grep -q b.txt f.out
