/* store_guard.c — a session's guard: no officer can stop every write by
 * stopping his own writer (issue 27, finding 1). See store_impl.h.
 *
 * A writer that waits for or holds the writers' turn holds up everyone
 * behind it, and the kernel keeps its locks while it is stopped (SIGSTOP
 * from another shell, or a debugger). Nobody else may signal it: the
 * other officers are other logins. So every writing session has a guard,
 * a small child of the same login forked as the session opens, in a session
 * of its own (a Ctrl-Z or a hang-up for the officer's job does not reach
 * it). The writer tells it, one byte on a socket, when it starts to wait
 * (W), when it holds the turn (H, or L for a bulk load with no limit) and
 * when it has given the turn back (D). While armed the guard looks at the
 * writer every GUARD_LOOK_MS; a writer it finds stopped it ends with
 * SIGKILL: SQLite undoes what was not committed and the kernel frees the
 * turn, as for any writer killed mid-write. It says so in syslog and on
 * the writer's terminal. The guard ends when the writer's end of the
 * socket closes. A writer that is slow but not stopped is never ended: on
 * a loaded server a writer may wait seconds for a core, and one ended
 * after its COMMIT but before it could say so would have saved a booking
 * its officer was told was lost (measured at LOAD=4 before this: two).
 *
 * Ctrl-Z (SIGTSTP, and the terminal's SIGTTIN and SIGTTOU) is held back
 * while armed and arrives when the turn is given back: the writer stops
 * after its commit, never inside it.
 *
 * A statement that runs past the turn's limit (STORE_TURN_MS) is
 * interrupted by SQLite's progress handler, undone, and the caller told
 * nothing was saved. Bulk loads (init, import, migrations) have no limit:
 * they are an admin's, and say so by store_long_turn.
 *
 * A guard stopped or killed by its own officer is found when the writer
 * next arms it (looked at once a second at most) and replaced. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "store_impl.h"

#define GUARD_LOOK_MS 200

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The state letter of /proc/PID/stat (R, S, D, T, t, Z...), or 0 when the
 * process is gone. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	const char *p = strrchr(buf, ')'); /* the name may hold anything */
	return p && p[1] == ' ' ? p[2] : 0;
}

static void end_writer(pid_t writer, int pidfd, const char *why, long long ms)
{
#ifdef SYS_pidfd_send_signal
	if (pidfd < 0 || syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) != 0)
#endif
		if (getppid() == writer)
			kill(writer, SIGKILL);
	openlog("brokerage", LOG_PID, LOG_AUTHPRIV);
	syslog(LOG_WARNING, "session %d of uid %d %s the writers' turn for %lld ms: ended, so that others can write",
	       (int)writer, (int)getuid(), why, ms);
	closelog();
	dprintf(2, "\r\nbrokerage: this session was %s the writers' turn and was ended so that others can write; "
		   "nothing unsaved was kept\r\n", why);
}

static _Noreturn void guard_run(int fd, pid_t writer)
{
	setsid();
	static const int sigs[] = {SIGINT, SIGQUIT, SIGHUP, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU, SIGALRM, SIGWINCH, SIGCHLD};
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* nothing of the writer's but the terminal: above all not the
	 * writers' queue, whose locks belong to the open file */
	if (fd > 3)
		close_range(3, (unsigned)fd - 1, 0);
	close_range((unsigned)fd + 1, ~0U, 0);
	/* ready: no copy of the queue's file is left here to keep a lock
	 * alive after the writer dies (read only by a writer that waits) */
	if (send(fd, "R", 1, MSG_NOSIGNAL) != 1)
		_exit(0);
	int pidfd = -1;
#ifdef SYS_pidfd_open
	pidfd = (int)syscall(SYS_pidfd_open, writer, 0);
#endif
	if (getppid() != writer) /* it ended before we began */
		_exit(0);
	char mode = 'D';
	long long since = 0;
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int r = poll(&p, 1, mode == 'D' ? -1 : GUARD_LOOK_MS);
		if (r < 0 && errno == EINTR)
			continue;
		if (r > 0) {
			char b[64];
			ssize_t n = read(fd, b, sizeof b);
			if (n <= 0)
				_exit(0); /* the writer closed or died */
			if (b[n - 1] != mode) {
				mode = b[n - 1];
				since = mono_ms();
			}
			continue;
		}
		if (r < 0)
			_exit(0);
		char st = proc_state(writer);
		if (st == 0 || st == 'Z')
			_exit(0);
		if (st != 'T')
			continue;
		end_writer(writer, pidfd, mode == 'W' ? "stopped while waiting for" : "stopped while holding",
			   mono_ms() - since);
		_exit(0);
	}
}

static void guard_end(struct store *s)
{
	if (s->guard_fd >= 0)
		close(s->guard_fd);
	s->guard_fd = -1;
	if (s->guard_pid > 0 && s->guard_owner == getpid()) {
		kill(s->guard_pid, SIGKILL);
		waitpid(s->guard_pid, NULL, 0);
	}
	s->guard_pid = 0;
}

static bool guard_start(struct store *s, bool wait)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return false;
	pid_t writer = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return false;
	}
	if (pid == 0) {
		close(sv[0]);
		guard_run(sv[1], writer);
	}
	close(sv[1]);
	/* Started with the session, before any file of the database is open,
	 * it has nothing of ours to close and is not waited for (waiting cost
	 * every session's first write a round of the scheduler: 50 sessions on
	 * 2 cores, a booking's p99 1.45 s against 1.05 s). Started later (a
	 * fork's child, a guard replaced), it holds a copy of -wq until it has
	 * closed it, and a writer killed before then would keep its turn:
	 * then the writer waits for its 'ready'. */
	if (wait) {
		char ready = 0;
		ssize_t n;
		while ((n = recv(sv[0], &ready, 1, 0)) < 0 && errno == EINTR)
			;
		if (n != 1 || ready != 'R') {
			close(sv[0]);
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return false;
		}
	}
	s->guard_fd = sv[0];
	s->guard_pid = pid;
	s->guard_owner = writer;
	s->guard_looked = mono_ms();
	return true;
}

static void guard_tell(struct store *s, char c)
{
	for (int tries = 0; tries < 2; tries++) {
		if (s->guard_fd < 0 || s->guard_owner != getpid()) {
			/* none yet, or the one we have is our parent's (a fork) */
			if (s->guard_owner != getpid()) {
				if (s->guard_fd >= 0)
					close(s->guard_fd);
				s->guard_fd = -1;
				s->guard_pid = 0;
			}
			if (!guard_start(s, true))
				return;
		} else if (c == 'W' && mono_ms() - s->guard_looked >= 1000) {
			s->guard_looked = mono_ms();
			char st = proc_state(s->guard_pid);
			if (st == 'T' || st == 't' || st == 'Z' || st == 0)
				guard_end(s); /* stopped, or gone: start another */
			if (s->guard_fd < 0)
				continue;
		}
		if (send(s->guard_fd, &c, 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1)
			return;
		guard_end(s);
	}
}

void store_guard_open(struct store *s)
{
	if (!guard_start(s, false)) {
		s->guard_fd = -1; /* started, waited for, at the first write instead */
		s->guard_pid = 0;
	}
}

static const int held_back[] = {SIGTSTP, SIGTTIN, SIGTTOU};

void store_guard_arm(struct store *s)
{
	if (s->armed)
		return;
	sigset_t hold;
	sigemptyset(&hold);
	for (size_t i = 0; i < sizeof held_back / sizeof held_back[0]; i++)
		sigaddset(&hold, held_back[i]);
	sigprocmask(SIG_BLOCK, &hold, &s->guard_mask);
	s->armed = true;
	guard_tell(s, 'W');
}

void store_guard_hold(struct store *s)
{
	clock_gettime(CLOCK_MONOTONIC, &s->turn_start);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &s->turn_cpu);
	s->turn_long = s->long_turn;
	guard_tell(s, s->turn_long ? 'L' : 'H');
}

void store_guard_disarm(struct store *s)
{
	if (!s->armed)
		return;
	s->armed = false;
	s->turn_long = false;
	s->turn_start.tv_sec = 0;
	s->turn_start.tv_nsec = 0;
	if (s->guard_fd >= 0 && s->guard_owner == getpid())
		(void)send(s->guard_fd, "D", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	/* a Ctrl-Z held back arrives now, the turn given back */
	sigprocmask(SIG_SETMASK, &s->guard_mask, NULL);
}

void store_guard_close(struct store *s)
{
	store_guard_disarm(s);
	guard_end(s);
}

pid_t store_guard_pid(const struct store *s) { return s->guard_pid; }

bool store_long_turn(struct store *s, bool on)
{
	bool was = s->long_turn;
	s->long_turn = on;
	return was;
}

/* SQLite asks every STORE_PROGRESS_OPS steps of a statement: a statement
 * in a turn that has spent more than its limit of CPU time is interrupted
 * (and the caller undoes the write). Outside a turn, or in a bulk load's,
 * it never is. */
int store_turn_progress(void *arg)
{
	const struct store *s = arg;
	if (s->turn_long || (s->turn_start.tv_sec == 0 && s->turn_start.tv_nsec == 0))
		return 0;
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	long long ms = (long long)(t.tv_sec - s->turn_cpu.tv_sec) * 1000 + (t.tv_nsec - s->turn_cpu.tv_nsec) / 1000000;
	return ms > STORE_TURN_MS;
}
