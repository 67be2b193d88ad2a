/* store_queue.c — the writers' queue: turns in the order asked, kept by
 * open-file-description locks on "<db>-wq". See store_impl.h. */
/* F_OFD_SETLK is Linux's, behind _GNU_SOURCE */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "store_impl.h"

/* ---- the write queue ----------------------------------------------------
 * Writers take turns in the order they asked, and a writer that dies (killed,
 * Ctrl-C, a dropped SSH link) never holds anyone up: every turn is an
 * open-file-description lock (F_OFD_SETLK) on "<db>-wq", which the kernel
 * drops the moment its process dies. Nothing waits by polling.
 *
 * The file: bytes 0-7 hold the ticket counter (any value is valid: a dead
 * writer cannot leave it wrong); byte 8 is the dispenser; byte
 * SLOTS + (t mod N_SLOTS) is ticket t's. To write: take the dispenser, read
 * and bump the counter (ticket t), lock slot t, give the dispenser back; then
 * wait on slot t-1 (our predecessor's: free when it is done or dead), and
 * keep slot t until COMMIT or ROLLBACK. SQLite's own lock still does the
 * excluding; the queue only orders. No mmap: a full disk gives an error on
 * pwrite, never SIGBUS.
 *
 * Bytes 12-15 hold the low bits of the ticket last served (written by each
 * writer as it gives its turn back). The deadline is for a stuck holder,
 * not for a long queue (issue 21): while a writer waits, every turn served
 * ahead of it starts its deadline again, so a queue that moves is waited
 * out and only a holder that keeps its turn past the deadline gives busy. */

#define WQ_COUNTER_BYTES 8
#define WQ_DISPENSER 8
#define WQ_SERVED 12 /* 4 bytes: the last ticket served */
#define WQ_SLOTS 16
#define WQ_N_SLOTS 65536

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int ofd(int fd, short type, off_t at, bool wait)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = at, .l_len = 1};
	return fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl);
}

static void on_alarm(int sig) { (void)sig; }

/* Lock byte `at` of the queue file, sleeping in the kernel until it is
 * free or the deadline passes (an interval timer interrupts the wait, so a
 * deadline is kept even if the first alarm comes before the wait begins). */
static bool lock_until(int fd, off_t at, double deadline)
{
	if (ofd(fd, F_WRLCK, at, false) == 0)
		return true;
	if (errno != EAGAIN && errno != EACCES)
		return false;
	struct sigaction sa = {.sa_handler = on_alarm}, old_sa;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: the alarm ends the wait */
	sigaction(SIGALRM, &sa, &old_sa);
	bool got = false;
	for (;;) {
		double left = deadline - mono_ms();
		if (left <= 0)
			break;
		long first_us = left > 100 ? 100000L : (long)(left * 1000) + 1;
		struct itimerval it = {{0, 100000}, {first_us / 1000000, first_us % 1000000}};
		setitimer(ITIMER_REAL, &it, NULL);
		int rc = ofd(fd, F_WRLCK, at, true);
		int err = errno;
		struct itimerval off = {{0, 0}, {0, 0}};
		setitimer(ITIMER_REAL, &off, NULL);
		if (rc == 0) {
			got = true;
			break;
		}
		if (err != EINTR)
			break;
	}
	sigaction(SIGALRM, &old_sa, NULL);
	return got;
}

void store_queue_open(struct store *s, bool create)
{
	char path[4200];
	snprintf(path, sizeof path, "%s-wq", s->path);
	s->queue_fd = -1;
	/* Only init makes the file (group-shared, 0660); a session that finds
	 * none works with the busy handler alone rather than leave a file of
	 * its login's beside the database. */
	int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT && create) {
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0660);
		static const unsigned char zero[WQ_COUNTER_BYTES];
		if (fd >= 0 && (fchmod(fd, 0660) != 0 || pwrite(fd, zero, sizeof zero, 0) != (ssize_t)sizeof zero)) {
			close(fd);
			unlink(path);
			fd = -1;
		}
	}
	s->queue_fd = fd; /* < 0: no queue, the busy handler alone */
}

enum br_status store_make_queue(struct store *s, char **why)
{
	if (s->queue_fd >= 0)
		return BR_OK;
	store_queue_open(s, true);
	if (s->queue_fd < 0)
		return br_fail(why, BR_IO, "%s-wq: cannot make the writers' queue: %s", s->path, strerror(errno));
	return BR_OK;
}

/* Take a ticket and wait for our turn; false when the deadline passed. */
/* the low 32 bits of the ticket last served (any value: only a change
 * is read) */
static uint32_t served(int fd)
{
	unsigned char b[4] = {0};
	if (pread(fd, b, sizeof b, WQ_SERVED) != (ssize_t)sizeof b)
		return 0;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

bool store_queue_wait(struct store *s)
{
	double deadline = mono_ms() + s->busy_timeout_ms;
	int fd = s->queue_fd;
	if (!lock_until(fd, WQ_DISPENSER, deadline))
		return false;
	unsigned char b[WQ_COUNTER_BYTES] = {0};
	uint64_t t = 0;
	if (pread(fd, b, sizeof b, 0) == (ssize_t)sizeof b)
		for (int i = WQ_COUNTER_BYTES - 1; i >= 0; i--)
			t = t << 8 | b[i];
	uint64_t next = t + 1;
	for (int i = 0; i < WQ_COUNTER_BYTES; i++)
		b[i] = (unsigned char)(next >> (8 * i));
	/* a failed write (full disk) only means the next writer may draw the
	 * same number: it then waits for us on our own slot, still in order */
	ssize_t wrote = pwrite(fd, b, sizeof b, 0);
	(void)wrote;
	off_t mine = WQ_SLOTS + (off_t)(t % WQ_N_SLOTS);
	off_t before = WQ_SLOTS + (off_t)((t + WQ_N_SLOTS - 1) % WQ_N_SLOTS);
	bool ok = lock_until(fd, mine, deadline);
	ofd(fd, F_UNLCK, WQ_DISPENSER, false);
	if (!ok)
		return false;
	s->queue_slot = mine;
	s->queue_ticket = t;
	s->holding = true;
	if (ofd(fd, F_WRLCK, before, false) != 0) {
		/* someone is ahead of us: sleep until they are done (or dead),
		 * looking up every 100 ms: a turn served ahead is the queue
		 * moving, and starts the deadline again */
		s->busy_waits++;
		uint32_t seen = served(fd);
		for (;;) {
			double slice = mono_ms() + 100;
			if (lock_until(fd, before, slice < deadline ? slice : deadline))
				break;
			uint32_t now = served(fd);
			if (now != seen) {
				seen = now;
				deadline = mono_ms() + s->busy_timeout_ms;
			} else if (mono_ms() >= deadline) {
				return false;
			}
		}
	}
	ofd(fd, F_UNLCK, before, false);
	return true;
}

void store_queue_release(struct store *s)
{
	if (s->queue_fd < 0 || !s->holding) {
		store_guard_disarm(s);
		return;
	}
	s->holding = false;
	/* served before the turn is given back, so the next in line's waiters
	 * see the queue move; a failed write (full disk) only costs them the
	 * news, never their turn */
	uint32_t t = (uint32_t)s->queue_ticket;
	unsigned char b[4] = {(unsigned char)t, (unsigned char)(t >> 8), (unsigned char)(t >> 16),
			      (unsigned char)(t >> 24)};
	ssize_t wrote = pwrite(s->queue_fd, b, sizeof b, WQ_SERVED);
	(void)wrote;
	ofd(s->queue_fd, F_UNLCK, s->queue_slot, false);
	store_guard_disarm(s);
}
