// Starts one browser engine behind its W3C WebDriver server and answers a live Session.
//
//   chromium   chromedriver + Debian's Chromium (--headless=new)
//   firefox    geckodriver (crates.io) + Debian's Firefox ESR (-headless)
//   webkit     WebKitWebDriver + WebKitGTK's MiniBrowser under Xvfb (MiniBrowser has no headless mode)
//   wpe        WPEWebDriver + cog --platform=headless (WPE WebKit 2.38: no DecompressionStream)
//
// Each driver (and Xvfb) runs in its own process group on a port it picked itself (port 0) and is
// owned by the handle startEngine returns: close() ends the session and kills the group, also when
// the session never started. A process 'exit' hook kills whatever a crashed run left.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from './webdriver.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A bound for Promise.race that does not keep the process alive once the race is decided. */
const bound = (ms) => new Promise((r) => setTimeout(r, ms).unref());

// Debian ships MiniBrowser inside libwebkit2gtk-4.1-0, under the multiarch library directory.
const MINIBROWSER =
  process.env.WEBKIT_MINIBROWSER ||
  ['x86_64-linux-gnu', 'aarch64-linux-gnu'].map((t) => `/usr/lib/${t}/webkit2gtk-4.1/MiniBrowser`).find((f) => existsSync(f)) ||
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** Process groups this module started and has not yet ended. */
const liveGroups = new Set();
/** Temporary profile directories of engines not yet closed. */
const liveDirs = new Set();
function killLiveGroups() {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
  }
  liveGroups.clear();
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  liveDirs.clear();
}
process.on('exit', killLiveGroups);
// A run stopped from outside (Ctrl-C, the test runner's timeout) ends the browsers too.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.once(signal, () => {
    killLiveGroups();
    process.exit(code);
  });
}

/** A child in its own process group whose output is kept (the last 8 KB) for error messages. */
function startProcess(cmd, args, { env = {}, stdio = ['ignore', 'pipe', 'pipe'] } = {}) {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio, detached: true });
  if (child.pid) liveGroups.add(child.pid);
  const p = { child, log: '', exited: null };
  const keep = (d) => {
    p.log = (p.log + d.toString()).slice(-8192);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  p.exit = new Promise((r) => child.once('exit', (code, signal) => r((p.exited = { code, signal }))));
  child.once('error', (e) => {
    keep(String(e));
    p.exited = p.exited || { error: String(e) };
  });
  return p;
}

/** Ends a process group: SIGTERM, then SIGKILL if it is still there after 3 s. */
async function stopProcess(p) {
  if (!p || !p.child.pid) return;
  const pid = p.child.pid;
  const signal = (s) => {
    try {
      process.kill(-pid, s);
    } catch {}
  };
  if (!p.exited) {
    signal('SIGTERM');
    await Promise.race([p.exit, bound(3000)]);
  }
  signal('SIGKILL'); // the group may hold browser processes even after the driver exited
  liveGroups.delete(pid);
}

/** Waits until the process printed something matching re; answers the first capture group. */
async function waitForOutput(p, re, what, timeout = 15000) {
  const end = Date.now() + timeout;
  for (;;) {
    const m = re.exec(p.log);
    if (m) return m[1];
    if (p.exited) throw new Error(`${what} exited (${JSON.stringify(p.exited)}): ${p.log.slice(-2000)}`);
    if (Date.now() > end) throw new Error(`${what} printed no ${re} within ${timeout} ms: ${p.log.slice(-2000)}`);
    await sleep(25);
  }
}

/**
 * The TCP port a process listens on, read from /proc (WebKit's drivers take --port=0 but do not
 * print the port they got).
 */
async function listeningPort(p, what, timeout = 15000) {
  const pid = p.child.pid;
  const end = Date.now() + timeout;
  for (;;) {
    const inodes = new Set();
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
          const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
          if (m) inodes.add(m[1]);
        } catch {}
      }
      for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
        if (!existsSync(file)) continue;
        for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
          const f = line.trim().split(/\s+/);
          // f[1] local address:port (hex), f[3] state (0A = LISTEN), f[9] inode
          if (f.length > 9 && f[3] === '0A' && inodes.has(f[9])) return parseInt(f[1].split(':').pop(), 16);
        }
      }
    } catch {}
    if (p.exited) throw new Error(`${what} exited (${JSON.stringify(p.exited)}): ${p.log.slice(-2000)}`);
    if (Date.now() > end) throw new Error(`${what} listened on no port within ${timeout} ms: ${p.log.slice(-2000)}`);
    await sleep(25);
  }
}

/** Waits for the driver's /status to answer ready. */
async function waitReady(base, p, what, timeout = 15000) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      const r = await fetch(base + '/status');
      const j = await r.json();
      if (j.value && j.value.ready !== false) return;
    } catch {}
    if (p.exited) throw new Error(`${what} exited (${JSON.stringify(p.exited)}): ${p.log.slice(-2000)}`);
    if (Date.now() > end) throw new Error(`${what} not ready within ${timeout} ms: ${p.log.slice(-2000)}`);
    await sleep(50);
  }
}

/** An Xvfb server on a free display (-displayfd prints the number it picked). */
async function startXvfb() {
  const p = startProcess('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x1024x24'], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let out = '';
  p.child.stdio[3].on('data', (d) => (out += d.toString()));
  const end = Date.now() + 15000;
  while (!/\d+\n/.test(out)) {
    if (p.exited) throw new Error(`Xvfb exited (${JSON.stringify(p.exited)}): ${p.log}`);
    if (Date.now() > end) {
      await stopProcess(p);
      throw new Error(`Xvfb printed no display within 15 s: ${p.log}`);
    }
    await sleep(25);
  }
  return { p, display: ':' + out.trim() };
}

/** geckodriver from PATH, else where `cargo install` puts it (scripts/setup.sh). */
function geckodriverPath() {
  const dirs = (process.env.PATH || '').split(':').filter(Boolean);
  if (dirs.some((d) => existsSync(join(d, 'geckodriver')))) return 'geckodriver';
  const cargo = join(process.env.CARGO_HOME || join(homedir(), '.cargo'), 'bin', 'geckodriver');
  return existsSync(cargo) ? cargo : 'geckodriver';
}

const ENGINES = {
  chromium: {
    async driver(tmp) {
      const p = startProcess('chromedriver', ['--port=0']);
      const port = await waitForOutput(p, /started successfully on port (\d+)/, 'chromedriver');
      return { p, port };
    },
    capabilities: (tmp) => ({
      browserName: 'chrome',
      'goog:chromeOptions': {
        binary: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        args: [
          '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync',
          '--disable-dev-shm-usage', `--user-data-dir=${join(tmp, 'profile')}`,
        ],
      },
    }),
  },
  firefox: {
    async driver(tmp) {
      const p = startProcess(geckodriverPath(), ['--port', '0', '--websocket-port', '0', '--profile-root', tmp]);
      const port = await waitForOutput(p, /Listening on [^\s]*:(\d+)/, 'geckodriver');
      return { p, port };
    },
    capabilities: () => ({
      browserName: 'firefox',
      'moz:firefoxOptions': {
        binary: process.env.FIREFOX_PATH || '/usr/bin/firefox-esr',
        args: ['-headless'],
        prefs: {
          // No first-run pages, updates or telemetry pings: nothing leaves loopback.
          'browser.shell.checkDefaultBrowser': false,
          'datareporting.policy.dataSubmissionEnabled': false,
          'app.update.enabled': false,
          'network.captive-portal-service.enabled': false,
        },
      },
    }),
  },
  webkit: {
    xvfb: true,
    async driver(tmp, env) {
      const p = startProcess('WebKitWebDriver', ['--port=0'], { env });
      return { p, port: await listeningPort(p, 'WebKitWebDriver') };
    },
    capabilities: () => ({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
    }),
  },
  wpe: {
    async driver(tmp, env) {
      const p = startProcess('WPEWebDriver', ['--port=0'], { env });
      return { p, port: await listeningPort(p, 'WPEWebDriver') };
    },
    capabilities: () => ({
      'wpe:browserOptions': { binary: '/usr/bin/cog', args: ['--automation', '--platform=headless'] },
    }),
  },
};

export const ENGINE_NAMES = Object.keys(ENGINES);

/** The engines a run covers: CLINK_ENGINES=chromium,firefox narrows it (default: all three). */
export function enginesToRun(defaults = ['chromium', 'firefox', 'webkit']) {
  const env = process.env.CLINK_ENGINES;
  return env ? env.split(',').map((s) => s.trim()).filter((s) => defaults.includes(s)) : defaults;
}

/**
 * Starts `name`'s driver and a session. Answers { name, session, browser, close() }; close() is
 * safe to call twice and always ends every process started here.
 */
export async function startEngine(name) {
  const spec = ENGINES[name];
  if (!spec) throw new Error(`unknown engine ${name}`);
  const tmp = mkdtempSync(join(tmpdir(), `clink-${name}-`));
  liveDirs.add(tmp);
  const owned = { xvfb: null, driver: null, session: null };
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    if (owned.session) await Promise.race([owned.session.delete().catch(() => {}), bound(5000)]);
    await stopProcess(owned.driver);
    await stopProcess(owned.xvfb?.p);
    rmSync(tmp, { recursive: true, force: true });
    liveDirs.delete(tmp);
  };
  try {
    const env = { XDG_RUNTIME_DIR: tmp, XDG_CACHE_HOME: join(tmp, 'cache'), XDG_DATA_HOME: join(tmp, 'data'), XDG_CONFIG_HOME: join(tmp, 'config') };
    if (spec.xvfb) {
      owned.xvfb = await startXvfb();
      env.DISPLAY = owned.xvfb.display;
      env.GDK_BACKEND = 'x11';
    }
    const { p, port } = await spec.driver(tmp, env);
    owned.driver = p;
    const base = `http://127.0.0.1:${port}`;
    await waitReady(base, p, `${name} driver`);
    try {
      owned.session = await Session.create(base, spec.capabilities(tmp));
    } catch (e) {
      throw new Error(`${name}: new session failed: ${e.message}\n--- driver output ---\n${p.log.slice(-3000)}`);
    }
    const c = owned.session.capabilities || {};
    return { name, session: owned.session, browser: `${c.browserName || name} ${c.browserVersion || ''}`.trim(), log: () => p.log, close };
  } catch (e) {
    await close();
    if (/ENOENT/.test(e.message)) e.message += ' (not installed? scripts/setup.sh installs every engine)';
    throw e;
  }
}
