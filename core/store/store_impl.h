/* store_impl.h — the store's own insides, for the store folder's files only: the
 * connection's struct, and what store.c asks of the writers' queue
 * (store_queue.c) and the witness (store_witness.c). */
#ifndef BR_STORE_IMPL_H
#define BR_STORE_IMPL_H

#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <sys/types.h>
#include <time.h>

#include "store_internal.h"

struct store {
	sqlite3 *db;
	char *path;
	char *real_path;            /* resolved, for the witness */
	int busy_timeout_ms;
	long busy_waits;
	uint64_t jitter;
	struct timespec wait_start;
	int queue_fd;               /* "<db>-wq": the writers' turns (OFD locks) */
	off_t queue_slot;           /* the byte of our turn, while holding */
	uint64_t queue_ticket;      /* our ticket, while holding */
	struct {
		const char *sql;    /* a string literal: its address is the key */
		sqlite3_stmt *st;
	} by_sql[256];
	bool holding;
	int wal_frames;             /* the WAL's length after our last commit */
	long long head_seq;         /* audit head appended in this transaction */
	unsigned char head_hash[32];
	long long witness_seq;      /* a committed head not yet sent to the witness */
	unsigned char witness_hash[32];
	struct timespec witness_at; /* when a head was last sent (monotonic) */
	bool have_witness_key;      /* the key file (store_witness.c): signs the heads sent to syslog */
	char witness_key_id[17];    /* its id, in every head it signs */
	char witness_problem[PATH_MAX + 240]; /* why there is no key, in words */
	unsigned char witness_key[crypto_auth_KEYBYTES];
	sqlite3_stmt *stmts[STMT_SLOTS];
	/* the guard (store_guard.c) */
	int guard_fd;               /* our end of its socket, or -1 */
	pid_t guard_pid;
	pid_t guard_owner;          /* the process it guards (not a fork's child) */
	long long guard_looked;     /* when we last looked that it still runs (ms) */
	bool armed;                 /* waiting for or holding the turn */
	bool long_turn;             /* the next turns are a bulk load's: no limit */
	bool turn_long;             /* the turn held now is one */
	sigset_t guard_mask;        /* the signal mask before arming */
	struct timespec turn_start; /* holding since (monotonic), or zero */
	struct timespec turn_cpu;   /* the thread's CPU time when the turn began */
	bool ours;                  /* opened and its schema read: a damage found is marked */
};

/* A write turn's limit, in CPU time spent in the turn: a statement still
 * computing past it is undone. CPU time, not the clock's: on a loaded
 * server a writer waiting for a core is not holding anyone up by its own
 * doing (measured at LOAD=4: 528 of 564 bookings refused "busy" when the
 * clock was asked). */
#define STORE_TURN_MS 2000
#define STORE_PROGRESS_OPS 1000

/* The guard: armed before the wait for the turn (Ctrl-Z held back), told
 * when the turn is held, disarmed once it is given back (a held-back
 * Ctrl-Z arrives); closed with the store. */
/* Start the guard with the session, before any file of the database is
 * open (store_open): not waited for. */
void store_guard_open(struct store *s);
void store_guard_arm(struct store *s);
void store_guard_hold(struct store *s);
void store_guard_disarm(struct store *s);
void store_guard_close(struct store *s);
int store_turn_progress(void *arg);
pid_t store_guard_pid(const struct store *s);

/* Open "<db>-wq" (made, group-shared, when create and missing); without
 * one a session works with SQLite's busy handler alone. */
void store_queue_open(struct store *s, bool create);
/* Take a ticket and wait for our turn; false when a holder kept its turn
 * past the deadline (a queue that moves restarts it). */
bool store_queue_wait(struct store *s);
/* Give the turn back (and say it was served); nothing when not holding. */
void store_queue_release(struct store *s);

/* Send the committed head to the witness: now, or when a second has passed
 * since the last line. */
void store_witness_head(struct store *s, bool now);

#endif
