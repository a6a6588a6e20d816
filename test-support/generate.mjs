// Generated datasets of shapes the published ones lack, seeded (the same bytes on every run), for
// tests and benchmarks. Each generator returns CSV text with a header row; `node generate.mjs NAME N`
// prints one.
//
// survey: people answering 8 multiple-choice questions (3 to 5 levels each) and a yes/no outcome.
//   Two latent traits drive the answers (so answers correlate, as in real questionnaires) and the
//   outcome (logistic in the traits and two answers). Few possible answer combinations for many
//   people: identical rows are different people who answered alike — real observations, not copies.
// credit: loan applications with skewed amounts, incomes with missing values, a categorical purpose
//   with a rare level, an employment length with "n/a", and a default flag that depends on them
//   non-linearly (debt ratio thresholds, an interaction of purpose and income).

/** xorshift128+ seeded by splitmix: floats in [0, 1). */
export function seeded(seed) {
  let s = BigInt(seed) & 0xffffffffffffffffn;
  const mix = () => {
    s = (s + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
    return z ^ (z >> 31n);
  };
  let a = mix();
  let b = mix();
  return () => {
    let x = a;
    const y = b;
    a = y;
    x ^= (x << 23n) & 0xffffffffffffffffn;
    b = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return Number(((b + y) & 0xffffffffffffffffn) >> 11n) / 2 ** 53;
  };
}

function normal(rand) {
  const u = Math.max(rand(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** An ordinal answer: a latent score cut at fixed thresholds into labelled levels. */
function answer(score, cuts, labels) {
  let k = 0;
  while (k < cuts.length && score > cuts[k]) k++;
  return labels[k];
}

const LIKERT = ["disagree", "neutral", "agree"];
const FIVE = ["never", "rarely", "sometimes", "often", "always"];
const QUESTIONS = [
  { name: "trust_neighbours", trait: [0.9, 0.1], cuts: [-0.5, 0.6], labels: LIKERT },
  { name: "volunteers", trait: [0.7, 0.3], cuts: [-0.9, -0.1, 0.7, 1.4], labels: FIVE },
  { name: "reads_news", trait: [0.2, 0.8], cuts: [-1.2, -0.3, 0.5, 1.2], labels: FIVE },
  { name: "votes", trait: [0.5, 0.6], cuts: [-0.2], labels: ["no", "yes"] },
  { name: "health", trait: [0.3, 0.2], cuts: [-0.8, 0.2, 1.0], labels: ["poor", "fair", "good", "excellent"] },
  { name: "urban", trait: [0.0, 0.4], cuts: [0.1], labels: ["rural", "urban"] },
  { name: "age_group", trait: [0.4, -0.2], cuts: [-0.7, 0.0, 0.8], labels: ["18-34", "35-49", "50-64", "65+"] },
  { name: "income_band", trait: [0.1, 0.7], cuts: [-0.6, 0.5], labels: ["low", "middle", "high"] },
];

/** The survey: n people, 8 answers, `satisfied` yes/no. */
export function survey(n = 6366, seed = 6366) {
  const rand = seeded(seed);
  const lines = [[...QUESTIONS.map((q) => q.name), "satisfied"].join(",")];
  for (let i = 0; i < n; i++) {
    const t1 = normal(rand);
    const t2 = normal(rand);
    const answers = QUESTIONS.map((q) => answer(q.trait[0] * t1 + q.trait[1] * t2 + 0.55 * normal(rand), q.cuts, q.labels));
    const z = -0.4 + 0.9 * t1 + 0.5 * t2 + (answers[4] === "poor" ? -0.8 : 0) + (answers[0] === "agree" ? 0.4 : 0) + 0.8 * normal(rand);
    lines.push([...answers, rand() < 1 / (1 + Math.exp(-z)) ? "yes" : "no"].join(","));
  }
  return `${lines.join("\n")}\n`;
}

const PURPOSES = ["debt_consolidation", "credit_card", "home_improvement", "car", "medical", "small_business", "wedding"];
const PURPOSE_WEIGHTS = [0.42, 0.24, 0.12, 0.1, 0.06, 0.05, 0.01];

/** Loan applications: n rows of mixed, skewed and missing values, `default` 0/1. */
export function credit(n = 8000, seed = 8000) {
  const rand = seeded(seed);
  const lines = ["loan_amount,annual_income,debt_to_income,purpose,employment_years,open_accounts,home,default"];
  for (let i = 0; i < n; i++) {
    const income = Math.round(Math.exp(10.8 + 0.55 * normal(rand)) / 100) * 100;
    const amount = Math.round(Math.exp(9.2 + 0.7 * normal(rand)) / 25) * 25;
    const dti = Math.max(0, Math.min(60, 15 + 8 * normal(rand) + (amount / income) * 20));
    let u = rand();
    let p = 0;
    while (p < PURPOSES.length - 1 && u > (PURPOSE_WEIGHTS[p] ?? 0)) u -= PURPOSE_WEIGHTS[p++] ?? 0;
    const purpose = PURPOSES[p];
    const years = rand() < 0.07 ? "n/a" : String(Math.min(10, Math.floor(-Math.log(Math.max(rand(), 1e-12)) * 4)));
    const accounts = Math.max(1, Math.round(8 + 4 * normal(rand)));
    const home = rand() < 0.45 ? "rent" : rand() < 0.8 ? "mortgage" : "own";
    const z =
      -2.3 +
      (dti > 30 ? 1.1 : dti > 20 ? 0.4 : 0) +
      0.6 * Math.log(amount / income + 0.05) +
      (purpose === "small_business" ? 0.9 : purpose === "medical" ? 0.4 : purpose === "credit_card" ? -0.3 : 0) +
      (purpose === "debt_consolidation" && income < 40000 ? 0.6 : 0) +
      (years === "n/a" ? 0.5 : years === "0" ? 0.3 : 0) +
      (home === "rent" ? 0.25 : 0) +
      0.5 * normal(rand);
    // 4% of incomes were not reported.
    const incomeText = rand() < 0.04 ? "" : String(income);
    lines.push([amount, incomeText, dti.toFixed(2), purpose, years, accounts, home, rand() < 1 / (1 + Math.exp(-z)) ? 1 : 0].join(","));
  }
  return `${lines.join("\n")}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [name, n] = process.argv.slice(2);
  const make = { survey, credit }[name ?? ""];
  if (!make) {
    process.stderr.write("usage: node test-support/generate.mjs survey|credit [rows]\n");
    process.exit(2);
  }
  process.stdout.write(make(n ? Number(n) : undefined));
}
