# SPDX-License-Identifier: GPL-2.0
# The fleet playbook (doc/fleet/rollout.yml) parses, rolls in serial batches with
# no failure allowed, and checks the update is live on each host.
pb=$HS_ROOT/doc/fleet/rollout.yml
command -v ansible-playbook > /dev/null || { echo "FAIL: ansible-playbook is not installed (make deps)"; exit 1; }
printf '[kernels]\nh1\nh2\n' > inv &&
ANSIBLE_LOCAL_TEMP=$PWD/tmp ANSIBLE_HOME=$PWD/ah ansible-playbook --syntax-check -i inv \
	-e fleet=kernels -e keyring=k.gpg -e repo_uri=file:/srv/repo "$pb" > syntax.out 2>&1 &&
test_grep '^playbook: ' syntax.out &&
test_grep '^  serial: ' "$pb" &&
test_grep '^  max_fail_percentage: 0$' "$pb" &&
test_grep 'ansible.builtin.command: hotsplice list --json' "$pb" &&
test_grep 'ansible.builtin.assert:' "$pb" &&
test_grep 'name: hotsplice-update-[{][{] kernel.stdout' "$pb" &&
ANSIBLE_LOCAL_TEMP=$PWD/tmp ANSIBLE_HOME=$PWD/ah ansible-playbook --list-tasks -i inv \
	-e fleet=kernels -e keyring=k.gpg -e repo_uri=file:/srv/repo "$pb" > tasks.out 2>&1 &&
test_grep 'The update is live on this host' tasks.out
