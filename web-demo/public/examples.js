// The demo's example prompts. Two are files from examples/; the long retrieval context is
// generated here, deterministically, from a handful of passage templates about a fictional
// community microgrid, so it can be several thousand tokens without shipping a large file.

export const EXAMPLES = [
  {
    id: 'meeting',
    label: 'Meeting transcript',
    url: '/examples/meeting.txt',
    options: { rate: 0.33, forceTokens: ['\n', '?'], forceReserveDigit: false },
  },
  {
    id: 'gsm8k',
    label: 'GSM8K chain of thought',
    url: '/examples/gsm8k-cot.txt',
    options: { rate: 0.5, forceTokens: ['\n', '?', '='], forceReserveDigit: true },
  },
  {
    id: 'retrieval',
    label: 'Long retrieval context',
    build: () => retrievalContext(),
    options: { rate: 0.25, forceTokens: ['\n', '?'], forceReserveDigit: true },
  },
];

export async function exampleText(example) {
  if (example.build) return example.build();
  const res = await fetch(example.url);
  if (!res.ok) throw new Error(`cannot load ${example.url}: HTTP ${res.status}`);
  return res.text();
}

const SITES = [
  'Alder Street depot', 'Birch Hill school', 'Cove Road clinic', 'Dunmore library',
  'Eastgate pumping station', 'Fairview community hall', 'Granary lofts', 'Harbour ferry terminal',
  'Ivy Court housing block', 'Juniper sports centre', 'Kestrel fire station', 'Lakeside market',
];
const ENGINEERS = ['Amara Osei', 'Bruno Castellan', 'Chen Wei', 'Dalia Haddad', 'Emil Strand', 'Farah Qureshi'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

// Each template writes one passage from a document number n and a small deterministic rng.
const TEMPLATES = [
  (n, r) => `Inspection report for the ${site(n)}. On ${date(n)} ${engineer(n)} inspected the battery room. The ${r(8, 24)} lithium iron phosphate modules showed a state of health between ${r(86, 93)} and ${r(94, 99)} percent, and the warmest cell measured ${r(27, 34)} degrees Celsius under a ${r(20, 60)} kilowatt discharge. The ventilation fan on the north wall was noisy but within tolerance. No corrosion was found on the busbars. The next inspection is due in ${r(3, 9)} months.`,
  (n, r) => `Firmware note for the ${site(n)}. The inverter firmware was updated from version ${r(3, 4)}.${r(0, 9)}.${r(0, 20)} to the current release on ${date(n)}. After the update the inverter reported ${r(2, 6)} grid-frequency warnings in the first week, all of them during the evening peak. The warnings were traced to a stricter ride-through setting, which was relaxed by ${engineer(n)}. Since then the site has run without alarms. If the warnings return, the firmware can be rolled back from the maintenance laptop in about ${r(10, 30)} minutes.`,
  (n, r) => `Energy summary for the ${site(n)} in ${MONTHS[n % 12]}. The rooftop array of ${r(40, 180)} kilowatts peak produced ${r(4, 22)} megawatt hours. About ${r(55, 80)} percent was used on site, ${r(10, 30)} percent charged the battery and the rest was exported to the neighbourhood feeder. Cloudy weather in the third week cut production by roughly a third. The battery covered the evening load on ${r(18, 30)} of the days without drawing from the grid.`,
  (n, r) => `Incident log, ${site(n)}. At ${r(1, 12)}:${String(r(0, 59)).padStart(2, '0')} on ${date(n)} the site islanded after a fault on the utility line. The battery carried the critical loads, the refrigerators, the emergency lighting and the network rack, for ${r(40, 190)} minutes until the line was restored. ${engineer(n)} reviewed the event and found that the transfer switch took ${r(80, 400)} milliseconds, which is inside the specification. One lighting circuit was wrongly marked as critical and has been moved.`,
  (n, r) => `Tariff and savings note for the ${site(n)}. Under the time-of-use tariff the peak price is ${r(28, 45)} cents per kilowatt hour and the night price ${r(8, 15)} cents. Shifting load with the battery saved an estimated ${r(300, 2400)} euros this quarter. The board asked whether a larger battery would pay back; with current prices the extra ${r(20, 80)} kilowatt hours would take about ${r(6, 14)} years to pay for themselves, so the decision was postponed until the next budget round.`,
  (n, r) => `Maintenance checklist completed at the ${site(n)} on ${date(n)}: cleaned ${r(30, 160)} solar panels, torqued the DC terminals, replaced ${r(1, 4)} air filters in the inverter cabinet, tested the earth-fault alarm, and updated the single-line diagram on the door. The monitoring gateway was rebooted because it had stopped sending data for ${r(2, 14)} hours; the cause was a full memory card, which was replaced. Signed off by ${engineer(n)}.`,
  (n, r) => `Question from residents at the ${site(n)}: can the microgrid charge electric cars? Answer from the operations team: yes, but only from the solar surplus. The ${r(2, 8)} chargers are limited to ${r(7, 22)} kilowatts each and pause automatically when the battery falls below ${r(30, 50)} percent, so that the evening loads stay covered. Residents can see the current surplus on the display in the lobby. The team is collecting feedback until the end of ${MONTHS[(n + 3) % 12]}.`,
  (n, r) => `Safety bulletin for all sites, issue ${n + 1}. Before opening any battery cabinet, switch the string isolator off, wait ${r(5, 15)} minutes, and measure the voltage on both poles. Wear the arc-rated gloves stored in the red box. Never work alone on the DC side. Report any swollen module, smell of electrolyte or unusual heat to the duty engineer, currently ${engineer(n)}, on the emergency number. The last drill took place at the ${site(n)} and took ${r(4, 12)} minutes from alarm to a safe state.`,
];

function site(n) {
  return SITES[(n * 5) % SITES.length];
}
function engineer(n) {
  return ENGINEERS[(n * 7) % ENGINEERS.length];
}
function date(n) {
  return `${1 + ((n * 11) % 28)} ${MONTHS[(n * 5) % 12]} 2024`;
}

// A tiny linear congruential generator: the same text on every run and in every browser.
function rng(seed) {
  let s = seed >>> 0;
  return (lo, hi) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (s % (hi - lo + 1));
  };
}

export function retrievalContext(documents = 40) {
  const parts = [
    'You are the operations assistant of the Northshore community microgrid. Answer the question at the end using only the documents below. Cite the document numbers you used.',
  ];
  for (let n = 0; n < documents; n++) {
    const template = TEMPLATES[(n * 3) % TEMPLATES.length];
    parts.push(`[Document ${n + 1}] ${template(n, rng(n + 1))}`);
  }
  parts.push(
    'Question: Which sites had inverter firmware warnings after an update, how long would a rollback take, and what was the lowest battery state of health reported in the inspections?',
  );
  return parts.join('\n\n');
}
