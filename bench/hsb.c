// SPDX-License-Identifier: GPL-2.0
/*
 * hsb.c - the benchmark's measuring tool, built static so that it runs in the
 * guests' busybox initramfs as well as on the host. Every time is read from
 * CLOCK_MONOTONIC, the clock hotsplice's HS_TIMING marks use, so that its lines
 * and hotsplice's can be subtracted from one another.
 *
 *   hsb time TAG CMD...       run CMD; print start and end, CPU seconds, peak RSS
 *   hsb lp-load TAG KO        insmod a livepatch module, wait for its transition
 *   hsb lp-unload TAG NAME    disable a livepatch, wait for its transition, rmmod
 *   hsb gaps [SECONDS]        a clock_gettime loop on every CPU: the longest gap
 *   hsb load                  a CPU + syscall loop on every CPU, until killed
 *   hsb calls KIND N          N calls: getppid(), a 1-byte write to /dev/null, or a
 *                             1-byte write and read on a pipe
 *
 * The timing lines go to stderr, as "hsb-start TAG T", "timing: STAGE T" and
 * "hsb-end TAG T cpu=S maxrss_kb=K rc=N" (see bench/guest/series.awk).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void catch_stop(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int usage(void)
{
	fprintf(stderr, "usage: hsb time TAG CMD... | lp-load TAG KO | lp-unload TAG NAME |\n"
			"       gaps [SECONDS] | load | calls getppid|null|pipe N\n");
	return 2;
}

static int cmd_time(char **argv)
{
	struct rusage ru;
	double t0 = now(), t1;
	int status = 0;
	pid_t pid;

	fprintf(stderr, "hsb-start %s %.6f\n", argv[0], t0);
	pid = fork();
	if (pid < 0)
		return perror("hsb: fork"), 1;
	if (!pid) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "hsb: cannot run '%s': %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	t1 = now();
	getrusage(RUSAGE_CHILDREN, &ru);
	fprintf(stderr, "hsb-end %s %.6f cpu=%.3f maxrss_kb=%ld rc=%d\n", argv[0], t1,
		ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
		ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss,
		WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* The value of /sys/kernel/livepatch/NAME/FILE, or -1. */
static int lp_read(const char *name, const char *file)
{
	char path[512], buf[16] = "";
	int fd, n;

	snprintf(path, sizeof(path), "/sys/kernel/livepatch/%s/%s", name, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atoi(buf) : -1;
}

/* Poll the transition every millisecond: the kernel's own floor, not a back-off. */
static int lp_wait(const char *name)
{
	for (int i = 0; i < 120000; i++) {
		if (lp_read(name, "transition") != 1)
			return 0;
		sleep_ms(1);
	}
	fprintf(stderr, "hsb: livepatch '%s': transition not done after 120 s\n", name);
	return 1;
}

static int cmd_lp_load(char **argv)
{
	const char *ko = argv[1], *base = strrchr(ko, '/') ? strrchr(ko, '/') + 1 : ko;
	char name[256];
	double t0 = now();
	int fd, err;

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(base, "."), base);
	for (char *p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	fprintf(stderr, "hsb-start %s %.6f\n", argv[0], t0);
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, "", 0))
		return fprintf(stderr, "hsb: cannot load '%s': %s\n", ko, strerror(errno)), 1;
	close(fd);
	fprintf(stderr, "timing: loaded %.6f\n", now());
	err = lp_wait(name);
	fprintf(stderr, "timing: switched %.6f\n", now());
	fprintf(stderr, "hsb-end %s %.6f cpu=0 maxrss_kb=0 rc=%d\n", argv[0], now(), err);
	return err;
}

static int cmd_lp_unload(char **argv)
{
	const char *name = argv[1];
	char path[512];
	int fd, err;

	fprintf(stderr, "hsb-start %s %.6f\n", argv[0], now());
	snprintf(path, sizeof(path), "/sys/kernel/livepatch/%s/enabled", name);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, "0", 1) != 1)
		return fprintf(stderr, "hsb: cannot disable '%s': %s\n", name, strerror(errno)), 1;
	close(fd);
	err = lp_wait(name);
	fprintf(stderr, "timing: switched %.6f\n", now());
	for (int i = 0; !err && syscall(SYS_delete_module, name, O_NONBLOCK); i++) {
		if ((errno != EBUSY && errno != EAGAIN) || i == 5000) {
			fprintf(stderr, "hsb: cannot unload '%s': %s\n", name, strerror(errno));
			err = 1;
		}
		sleep_ms(1);
	}
	fprintf(stderr, "timing: unloaded %.6f\n", now());
	fprintf(stderr, "hsb-end %s %.6f cpu=0 maxrss_kb=0 rc=%d\n", argv[0], now(), err);
	return err;
}

struct gap_thread {
	pthread_t th;
	int cpu;
	double max;	/* the longest interval between two readings of the clock */
	long over_ms;	/* how many were longer than a millisecond */
};

static void *gap_loop(void *arg)
{
	struct gap_thread *g = arg;
	cpu_set_t set;
	double last, t;

	CPU_ZERO(&set);
	CPU_SET(g->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	last = now();
	while (!stop) {
		t = now();
		if (t - last > g->max)
			g->max = t - last;
		g->over_ms += t - last > 1e-3;
		last = t;
	}
	return NULL;
}

static int cmd_gaps(char **argv)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct gap_thread *g = calloc(ncpu, sizeof(*g));
	double t0 = now(), max = 0, secs = argv[0] ? atof(argv[0]) : 0;
	long over = 0;

	if (!g)
		return 1;
	catch_stop();
	for (long i = 0; i < ncpu; i++) {
		g[i].cpu = i;
		pthread_create(&g[i].th, NULL, gap_loop, &g[i]);
	}
	while (!stop && (!secs || now() - t0 < secs))
		sleep_ms(10);
	stop = 1;
	for (long i = 0; i < ncpu; i++) {
		pthread_join(g[i].th, NULL);
		max = g[i].max > max ? g[i].max : max;
		over += g[i].over_ms;
	}
	printf("gaps cpus=%ld window=%.3f max_ms=%.3f over_1ms=%ld\n", ncpu, now() - t0,
	       max * 1e3, over);
	free(g);
	return 0;
}

/* One worker per CPU: arithmetic and a getppid() and a /proc read, in turn. */
static int cmd_load(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	pid_t pids[256];
	long n = ncpu < 256 ? ncpu : 256;

	catch_stop();
	for (long i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i])
			continue;
		volatile unsigned long x = 1;

		for (unsigned long k = 1;; k++) {
			char buf[256];
			int fd;

			x = x * 31 + 7;
			if (k % 1000)
				continue;
			syscall(SYS_getppid);
			fd = open("/proc/self/stat", O_RDONLY);
			if (fd >= 0) {
				if (read(fd, buf, sizeof(buf)) < 0)
					_exit(1);
				close(fd);
			}
		}
	}
	while (!stop)
		pause();
	for (long i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	return 0;
}

static int cmd_calls(char **argv)
{
	long n = atol(argv[1]);
	int p[2];
	char c = 'x';
	double t0;

	if (n <= 0)
		return usage();
	if (!strcmp(argv[0], "getppid")) {
		t0 = now();
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
	} else if (!strcmp(argv[0], "null")) {
		p[1] = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (p[1] < 0)
			return perror("hsb: /dev/null"), 1;
		t0 = now();
		for (long i = 0; i < n; i++)
			if (write(p[1], &c, 1) != 1)
				return perror("hsb: /dev/null"), 1;
	} else if (!strcmp(argv[0], "pipe")) {
		if (pipe(p))
			return perror("hsb: pipe"), 1;
		t0 = now();
		for (long i = 0; i < n; i++)
			if (write(p[1], &c, 1) != 1 || read(p[0], &c, 1) != 1)
				return perror("hsb: pipe"), 1;
	} else {
		return usage();
	}
	printf("%.1f\n", (now() - t0) / n * 1e9);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "time") && argc > 3)
		return cmd_time(argv + 2);
	if (!strcmp(cmd, "lp-load") && argc == 4)
		return cmd_lp_load(argv + 2);
	if (!strcmp(cmd, "lp-unload") && argc == 4)
		return cmd_lp_unload(argv + 2);
	if (!strcmp(cmd, "gaps") && argc <= 3)
		return cmd_gaps(argv + 2);
	if (!strcmp(cmd, "load") && argc == 2)
		return cmd_load();
	if (!strcmp(cmd, "calls") && argc == 4)
		return cmd_calls(argv + 2);
	return usage();
}
