// Loaded into the test run's in-memory Azurite (NODE_OPTIONS=--require, see TestStorage.cs).
// It holds nothing worth saving, so it stops at once when asked rather than waiting for the test process's open
// connections to close; and it stops by itself when that process is gone, however it ended, so a cancelled run
// leaves no emulator behind.
process.prependListener('SIGTERM', () => process.exit(0));
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(0);
  }
}, 1000).unref();
