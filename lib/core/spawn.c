// SPDX-License-Identifier: GPL-2.0
/* spawn.c - fork/exec of external tools, output to a callback or a log file. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "core/spawn.h"

/* In the child: set up fds and cwd, exec; never returns. */
static void child_exec(char *const argv[], const char *cwd, int out_fd)
{
	int null = open("/dev/null", O_RDONLY);

	if (null >= 0)
		dup2(null, 0);
	if (out_fd >= 0) {
		dup2(out_fd, 1);
		dup2(out_fd, 2);
	} else {
		null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
	}
	if (cwd && chdir(cwd)) {
		dprintf(2, "cannot change to '%s': %s\n", cwd, strerror(errno));
		_exit(127);
	}
	execvp(argv[0], argv);
	dprintf(2, "cannot run '%s': %s\n", argv[0], strerror(errno));
	_exit(127);
}

int hs_spawn_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/*
 * Split @buf[0..*len) into lines for @line; keep an unfinished tail, unless
 * @flush (the end of the output, or a buffer that is one unfinished line).
 */
static void feed_lines(char *buf, size_t *len, int flush, hs_line_fn line, void *arg)
{
	size_t start = 0;

	for (size_t i = 0; i < *len; i++) {
		if (buf[i] != '\n')
			continue;
		buf[i] = 0;
		if (line)
			line(arg, buf + start);
		start = i + 1;
	}
	if (flush && start < *len) {
		buf[*len] = 0;
		if (line)
			line(arg, buf + start);
		start = *len;
	}
	memmove(buf, buf + start, *len - start);
	*len -= start;
}

int hs_spawn_run(const struct hs_ctx *ctx, char *const argv[], const char *cwd,
		 hs_line_fn line, void *arg)
{
	char buf[65537];
	size_t len = 0;
	int pfd[2];
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC)) {
		hs_err(ctx, "cannot run '%s': pipe: %s", argv[0], strerror(errno));
		return -errno;
	}
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		hs_err(ctx, "cannot run '%s': fork: %s", argv[0], strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return err;
	}
	if (pid == 0)
		child_exec(argv, cwd, pfd[1]);
	close(pfd[1]);
	for (;;) {
		ssize_t n = read(pfd[0], buf + len, sizeof(buf) - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		feed_lines(buf, &len, 0, line, arg);
		/*
		 * A line longer than the buffer is passed on in pieces; a full buffer
		 * that ends in an unfinished line is not one (a diff's line was cut in
		 * two where a read filled the buffer, and its hunk was "truncated").
		 */
		if (len == sizeof(buf) - 1)
			feed_lines(buf, &len, 1, line, arg);
	}
	feed_lines(buf, &len, 1, line, arg);
	close(pfd[0]);
	return hs_spawn_wait(pid);
}

int hs_spawn_start(const struct hs_ctx *ctx, char *const argv[], const char *cwd,
		   const char *log, pid_t *pid)
{
	int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	if (fd < 0) {
		int err = -errno;

		hs_err(ctx, "cannot create log '%s': %s", log, strerror(errno));
		return err;
	}
	*pid = fork();
	if (*pid < 0) {
		int err = -errno;

		hs_err(ctx, "cannot run '%s': fork: %s", argv[0], strerror(errno));
		close(fd);
		return err;
	}
	if (*pid == 0) {
		/* a command killed by a signal takes its compiles with it */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		child_exec(argv, cwd, fd);
	}
	close(fd);
	return 0;
}
