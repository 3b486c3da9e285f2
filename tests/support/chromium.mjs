// How every browser test and benchmark starts Chromium: Debian's binary (never a
// downloaded one) with the flags that keep it off the network in this closed environment.
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
