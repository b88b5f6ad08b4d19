// The local Clink's one clock. Every scheduler (session TTLs, payment processing, webhook
// retries, subscription renewals) asks it for the time and schedules on it, so a test control can
// move time forward for all of them at once: `advance(ms)` runs every timer that falls due on the
// way, in due order, each at its own due time (docs/local-clink.md, "Time").
//
// Real time keeps running underneath: now() is Date.now() plus the total advanced so far.

// setTimeout fires at once for delays above 2^31-1 ms; a longer wait is re-armed on the way.
const MAX_REAL_DELAY_MS = 2 ** 31 - 1;

export class Clock {
  #offset = 0;
  #timers = new Map(); // id → { due, fn }: the live timers
  #queue = []; // min-heap of { due, id } by due then id; a cancelled timer's entry is skipped when met
  #nextId = 1;
  #real = null; // the one real timeout, armed for the earliest due timer
  #running = false;
  #runningAt = null; // while a timer runs, the time stands at its due time
  #closed = false;
  #realNow;

  /** @param {{ realNow?: () => number }} [opts] realNow: the wall clock (tests may replace it) */
  constructor({ realNow = Date.now } = {}) {
    this.#realNow = realNow;
  }

  /** The local Clink's time in ms: wall-clock time plus everything advanced. */
  now() {
    return this.#runningAt ?? this.#realNow() + this.#offset;
  }

  /** Total ms advanced by test controls so far. */
  get offsetMs() {
    return this.#offset;
  }

  /** Timers waiting (for the inspector and tests). */
  get pending() {
    return this.#timers.size;
  }

  /** Runs `fn` once the clock reaches now() + ms. Returns an id for cancel(). */
  schedule(ms, fn) {
    return this.scheduleAt(this.now() + Math.max(0, ms), fn);
  }

  /** Runs `fn` once the clock reaches `at` (ms; at once when that is past). Returns an id for cancel(). */
  scheduleAt(at, fn) {
    if (this.#closed) return 0;
    const id = this.#nextId++;
    this.#timers.set(id, { due: at, fn });
    this.#push({ due: at, id });
    if (!this.#running) this.#arm();
    return id;
  }

  /** Cancels a timer; an unknown or finished id is ignored. */
  cancel(id) {
    if (!this.#timers.delete(id)) return;
    if (!this.#running) this.#arm();
  }

  /**
   * Moves time forward by `ms`, running each timer that falls due, in due order, with now() equal
   * to its due time while it runs. Timers scheduled by those timers run too when they fall due
   * before the end. Returns the number of timers run.
   */
  advance(ms) {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ms must be a number of milliseconds, 0 or more, got ${ms}`);
    const offset = this.#offset;
    const ran = this.#runDue(this.now() + ms);
    // Exactly `ms` more than before, whatever real time the timers took.
    this.#offset = offset + ms;
    this.#arm();
    return ran;
  }

  /** Drops every timer; nothing runs afterwards. */
  close() {
    this.#closed = true;
    this.#timers.clear();
    this.#queue = [];
    clearTimeout(this.#real);
    this.#real = null;
  }

  #runDue(target) {
    let ran = 0;
    this.#running = true;
    try {
      for (;;) {
        const head = this.#head();
        if (head === null || head.due > target || this.#closed) break;
        this.#pop();
        const timer = this.#timers.get(head.id);
        this.#timers.delete(head.id);
        // Time stands still while a timer runs: at its due time, or later when it fires late (time
        // never goes back). One read of the wall clock, so a tick in between cannot shift it.
        const current = this.#realNow() + this.#offset;
        if (timer.due > current) this.#offset += timer.due - current;
        ran += 1;
        this.#runningAt = Math.max(timer.due, current);
        try {
          timer.fn();
        } catch {
          // A timer's owner handles its own failures; one failing timer never stops the others.
        } finally {
          this.#runningAt = null;
        }
      }
    } finally {
      this.#running = false;
    }
    return ran;
  }

  #arm() {
    clearTimeout(this.#real);
    this.#real = null;
    const head = this.#head();
    if (this.#closed || head === null) return;
    const { due } = head;
    const wait = Math.min(MAX_REAL_DELAY_MS, Math.max(0, due - this.now()));
    this.#real = setTimeout(() => {
      this.#real = null;
      this.#runDue(this.now());
      this.#arm();
    }, wait);
  }

  /** The earliest live timer's queue entry, or null (drops cancelled entries on the way). */
  #head() {
    while (this.#queue.length > 0 && !this.#timers.has(this.#queue[0].id)) this.#pop();
    if (this.#queue.length > 2 * this.#timers.size + 1024) this.#rebuild();
    return this.#queue[0] ?? null;
  }

  // Many cancelled entries (sessions that ended before their TTL): keep only the live ones.
  #rebuild() {
    this.#queue = [];
    for (const [id, { due }] of this.#timers) this.#push({ due, id });
  }

  #push(entry) {
    const q = this.#queue;
    q.push(entry);
    let i = q.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(q[i], q[parent])) break;
      [q[i], q[parent]] = [q[parent], q[i]];
      i = parent;
    }
  }

  #pop() {
    const q = this.#queue;
    const last = q.pop();
    if (q.length === 0) return;
    q[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < q.length && before(q[l], q[m])) m = l;
      if (r < q.length && before(q[r], q[m])) m = r;
      if (m === i) break;
      [q[i], q[m]] = [q[m], q[i]];
      i = m;
    }
  }
}

/** Queue order: the earlier due time first; of two at the same time, the one scheduled first. */
function before(a, b) {
  return a.due < b.due || (a.due === b.due && a.id < b.id);
}
