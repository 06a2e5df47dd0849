// Loaded into the test run's Azurite (NODE_OPTIONS=--require): it exits when the test process that started it is gone,
// however that process ended, so no emulator is left holding memory after a cancelled run.
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(0);
  }
}, 1000).unref();
