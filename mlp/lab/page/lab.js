// chainrule's live lab: one run per tab, drawn from the frames the server sends.
//
// The page computes nothing of the training: every number it shows is in a frame (see
// mlp/lab/frame.py), except the decision boundary, which is the network's forward pass run
// here on a grid, with the frame's weights (window.lab.forward, checked against the engine by
// the tests). The page sends only JSON; the server checks every field and answers an error
// with a text, shown in the banner.
"use strict";

const lab = {
  run: null, version: 0, frame: null, updates: 0, errors: [], drawn: 0,
  forward: null, ready: false, closed: false,
};
window.lab = lab;

const PRESETS = {
  moons: { dataset: "moons", hidden: [16, 16], activation: "tanh", loss: "hinge", optimizer: "sgd",
           lr: 0.1, momentum: 0, batch_size: null, points: 100, seed: 0, speed: 60, sample: 0 },
  xor: { dataset: "xor", hidden: [4], activation: "tanh", loss: "mse", optimizer: "sgd", lr: 0.2,
         momentum: 0, batch_size: null, seed: 0, speed: 60, sample: 0 },
  digits: { dataset: "digits", hidden: [32], activation: "tanh", loss: "cross_entropy",
            optimizer: "sgd", lr: 0.1, momentum: 0.9, batch_size: 32, seed: 0, speed: 0, sample: 0 },
};
const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

// --- talking to the server ------------------------------------------------------------
async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const response = await fetch(path, options);
  const kind = response.headers.get("Content-Type") || "";
  const data = kind.startsWith("application/json") ? await response.json() : await response.text();
  if (!response.ok) throw new Error(data && data.error ? data.error : `HTTP ${response.status}`);
  return data;
}

function showError(text) {
  const banner = $("error");
  banner.textContent = text;
  banner.hidden = !text;
  if (text) lab.errors.push(text);
}

async function command(message) {
  try {
    await api(`/api/runs/${lab.run}/command`, message);
    showError(lab.frame && lab.frame.error ? lab.frame.error : "");
    return true;
  } catch (e) {
    showError(e.message);
    return false;
  }
}

async function start(config) {
  try {
    const answer = await api("/api/runs", { config: config || {} });
    lab.run = answer.run;
    take(answer.frame);
    showError("");
    listen();
  } catch (e) {
    showError(e.message);
  }
}

// The frames arrive as server-sent events. Only the newest is drawn, at the browser's next
// paint: a frame that arrives while one is being drawn replaces the one waiting, so a slow
// page drops frames and never falls behind.
let feed = null, waiting = null;
function listen() {
  if (feed) feed.close();
  const run = lab.run;
  feed = new EventSource(`/api/runs/${run}/events`);
  feed.onmessage = (event) => {
    if (run !== lab.run) return;
    const first = waiting === null;
    waiting = event.data;
    if (first) requestAnimationFrame(drawWaiting);
  };
  feed.onerror = () => {
    if (!lab.closed && feed.readyState === EventSource.CLOSED) {
      showError("the lab's server is gone: start it again (python -m mlp.lab) and reload");
    }
  };
}

function drawWaiting() {
  const text = waiting;
  waiting = null;
  const frame = JSON.parse(text);
  if (frame.version > lab.version || frame.run !== (lab.frame && lab.frame.run)) take(frame);
}

// --- one frame ------------------------------------------------------------------------
function take(frame) {
  const before = lab.frame;
  lab.frame = frame;
  lab.version = frame.version;
  lab.forward = forwardOf(frame.model);
  lab.updates += 1;
  countUpdate();
  if (!before || JSON.stringify(before.config) !== JSON.stringify(frame.config)
      || before.run !== frame.run) fillForm(frame.config);
  if (frame.error) showError(frame.error);
  drawStatus(frame);
  drawNetwork(frame, !before || shapeOf(before) !== shapeOf(frame));
  drawView(frame);
  drawCurve(frame);
  lab.drawn = frame.version;
  lab.ready = true;
}

const shapeOf = (frame) => frame.model.sizes.join("-");
const stamps = [];
function countUpdate(add = true) {
  const now = performance.now();
  if (add) stamps.push(now);
  while (stamps.length && now - stamps[0] > 1000) stamps.shift();
}

function fmt(x, digits = 4) {
  if (x === null || x === undefined) return "–";
  return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2)
    : x.toFixed(digits);
}

function drawStatus(frame) {
  $("step-count").textContent = frame.step;
  $("epoch").textContent = frame.epoch;
  $("loss").textContent = frame.loss === null ? "–" : fmt(frame.loss);
  $("loss").dataset.exact = frame.loss === null ? "" : String(frame.loss);
  $("accuracy-name").textContent = frame.accuracy_on === "test" ? "test accuracy" : "accuracy";
  $("accuracy").textContent = frame.accuracy === null ? "–" : (100 * frame.accuracy).toFixed(1) + "%";
  $("steps-per-second").textContent = Math.round(frame.steps_per_second);
  $("play").disabled = frame.playing;
  $("pause").disabled = !frame.playing;
  $("stepper").disabled = frame.playing;
  $("sample-name").textContent = frame.config.sample;
  if (document.activeElement !== $("sample")) $("sample").value = frame.config.sample;
}

setInterval(() => {
  countUpdate(false);
  $("updates-per-second").textContent = stamps.length;
}, 250);

// --- the settings form ----------------------------------------------------------------
function fillForm(config) {
  const form = $("settings");
  for (const [name, value] of Object.entries(config)) {
    const field = form.elements[name];
    if (!field) continue;
    field.value = name === "hidden" ? value.join(", ") : value === null ? "" : String(value);
  }
}

// What the user typed, as JSON: numbers where they read as numbers, else the text itself,
// for the server to refuse with a message that names the field.
function typed(text) {
  const trimmed = text.trim();
  return trimmed !== "" && Number.isFinite(Number(trimmed)) ? Number(trimmed) : text;
}

function readForm() {
  const form = $("settings");
  const config = {};
  for (const field of form.elements) {
    if (!field.name) continue;
    if (field.name === "hidden") {
      config.hidden = field.value.trim() === "" ? [] : field.value.split(",").map(typed);
    } else if (field.name === "batch_size") {
      config.batch_size = field.value.trim() === "" ? null : typed(field.value);
    } else if (field.tagName === "SELECT") {
      config[field.name] = field.value;
    } else {
      config[field.name] = typed(field.value);
    }
  }
  return config;
}

// --- the network, drawn as the notes draw it ------------------------------------------
const net = { nodes: [], edges: [], chosen: null };

function layout(sizes, width, height) {
  const columns = sizes.length;
  return sizes.map((count, c) => {
    const x = 40 + (c * (width - 80)) / Math.max(1, columns - 1);
    const gap = Math.min(44, (height - 40) / Math.max(1, count));
    const top = (height - gap * (count - 1)) / 2;
    return Array.from({ length: count }, (_, j) => [x, top + j * gap, gap]);
  });
}

// The edges are drawn on a canvas under the SVG (thousands of SVG lines repaint too slowly
// for the digits' 2,368 weights); the SVG holds the neurons, their labels and the chosen edge.
function buildNetwork(frame) {
  const svg = $("network");
  svg.replaceChildren();
  const width = svg.clientWidth || 800;
  const height = svg.clientHeight || 640;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const canvas = $("edges");
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.getContext("2d").setTransform(ratio, 0, 0, ratio, 0, 0);
  const places = layout(frame.model.sizes, width, height);
  net.nodes = [];
  net.edges = [];
  frame.model.layers.forEach((layer, l) => {
    layer.weights.forEach((row, j) => row.forEach((_, i) => {
      const [x1, y1] = places[l][i];
      const [x2, y2] = places[l + 1][j];
      net.edges.push({ x1, y1, x2, y2, name: layer.weight_names[j][i], layer: l, to: j, from: i });
    }));
  });
  const chosen = document.createElementNS(SVG, "line");
  chosen.id = "chosen-edge";
  chosen.classList.add("chosen");
  chosen.append(document.createElementNS(SVG, "title"));
  chosen.style.display = "none";
  const hover = document.createElementNS(SVG, "title");
  svg.append(hover, chosen);
  net.chosen = null;
  svg.onclick = (event) => {
    const edge = nearestEdge(svg, event);
    if (edge) explainWeight(edge);
  };
  svg.onmousemove = (event) => {
    const edge = nearestEdge(svg, event);
    hover.textContent = edge ? describe(edge) : "";
  };
  const names = [frame.model.inputs, ...frame.model.layers.map((layer) => layer.names)];
  places.forEach((column, c) => {
    const labelled = column.length <= 20;
    net.nodes.push(column.map(([x, y, gap], j) => {
      const circle = document.createElementNS(SVG, "circle");
      circle.setAttribute("cx", x); circle.setAttribute("cy", y);
      circle.setAttribute("r", Math.max(3, Math.min(14, gap * 0.35)));
      circle.dataset.name = names[c][j];
      circle.append(document.createElementNS(SVG, "title"));
      svg.append(circle);
      if (labelled) {
        const text = document.createElementNS(SVG, "text");
        text.setAttribute("x", x + (c === places.length - 1 ? 18 : -18));
        text.setAttribute("y", y + 4);
        text.setAttribute("text-anchor", c === places.length - 1 ? "start" : "end");
        text.textContent = names[c][j];
        svg.append(text);
      }
      return circle;
    }));
  });
}

// The edge nearest a point of the page (within 8 pixels): thin lines need not be hit exactly.
function nearestEdge(svg, event) {
  const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(
    svg.getScreenCTM().inverse());
  let best = null, distance = 8;
  for (const e of net.edges) {
    const dx = e.x2 - e.x1, dy = e.y2 - e.y1;
    const t = Math.max(0, Math.min(1, ((point.x - e.x1) * dx + (point.y - e.y1) * dy) / (dx * dx + dy * dy)));
    const d = Math.hypot(point.x - e.x1 - t * dx, point.y - e.y1 - t * dy);
    if (d < distance) { best = e; distance = d; }
  }
  return best;
}

function colour(value, scale) {
  // blue for positive, orange for negative, white at 0; scale: the value that is full colour
  const t = Math.max(-1, Math.min(1, scale > 0 ? value / scale : 0));
  const [r, g, b] = t >= 0 ? [59, 111, 182] : [222, 120, 31];
  const a = Math.abs(t);
  const mix = (c) => Math.round(255 + (c - 255) * a);
  return `rgb(${mix(r)},${mix(g)},${mix(b)})`;
}

const maxAbs = (values) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

function drawEdges(frame) {
  const canvas = $("edges"), ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const layers = frame.model.layers;
  const wScale = maxAbs(layers.flatMap((layer) => layer.weights.flat())) || 1;
  ctx.lineCap = "round";
  for (const e of net.edges) {
    const w = layers[e.layer].weights[e.to][e.from];
    ctx.strokeStyle = colour(w, wScale);
    ctx.globalAlpha = 0.25 + 0.75 * Math.abs(w) / wScale;
    ctx.lineWidth = 0.6 + 3.4 * Math.abs(w) / wScale;
    ctx.beginPath();
    ctx.moveTo(e.x1, e.y1);
    ctx.lineTo(e.x2, e.y2);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

function drawNetwork(frame, rebuild) {
  if (rebuild) buildNetwork(frame);
  drawEdges(frame);
  if (net.chosen) describeEdge(net.chosen);
  if (!frame.sample) return;  // a network that diverged: no sample to push through it
  const acts = frame.sample.activations;
  const grads = frame.sample.node_grads;
  const gScale = maxAbs(grads.slice(1).flat()) || 1;
  net.nodes.forEach((column, c) => {
    const aScale = maxAbs(acts[c]) || 1;
    column.forEach((circle, j) => {
      const a = acts[c][j];
      const g = grads[c][j];
      circle.setAttribute("fill", colour(a, c === 0 ? aScale : Math.max(1, aScale)));
      circle.setAttribute("stroke", colour(g, gScale));
      circle.setAttribute("stroke-width", (1 + 4 * Math.abs(g) / gScale).toFixed(2));
      const label = frame.sample.labels[c][j];
      circle.firstChild.textContent =
        `${label} = ${fmt(a)}\n∂L/∂${label} = ${fmt(g)} (sample ${frame.config.sample})`;
    });
  });
}

// An edge's numbers, from the newest frame: its weight, the last batch's gradient, the sample's.
function numbers(edge) {
  const f = lab.frame, layer = f.model.layers[edge.layer];
  return { weight: layer.weights[edge.to][edge.from], grad: layer.weight_grads[edge.to][edge.from],
           sampleGrad: f.sample ? f.sample.weight_grads[edge.layer][edge.to][edge.from] : null };
}

function describe(edge) {
  const n = numbers(edge);
  return `${edge.name} = ${fmt(n.weight)}\n∂L/∂${edge.name}: ${fmt(n.grad)} (last batch), `
    + `${fmt(n.sampleGrad)} (sample ${lab.frame.config.sample})`;
}

// The chosen edge, drawn over the others, carries its numbers (for the eye and for tests).
function describeEdge(edge) {
  const line = $("chosen-edge"), n = numbers(edge);
  for (const key of ["x1", "y1", "x2", "y2"]) line.setAttribute(key, edge[key]);
  line.dataset.name = edge.name;
  line.dataset.weight = String(n.weight);
  line.dataset.grad = String(n.grad);
  line.dataset.sampleGrad = String(n.sampleGrad);
  line.firstChild.textContent = describe(edge);
  line.style.display = "";
}

async function explainWeight(edge) {
  net.chosen = edge;
  describeEdge(edge);
  const name = edge.name;
  $("explain-name").textContent = `${name}, sample ${lab.frame.config.sample}`;
  try {
    const answer = await api(`/api/runs/${lab.run}/explain?param=${encodeURIComponent(name)}`);
    $("explain").textContent = answer.text;
    $("explain").dataset.total = String(answer.total);
  } catch (e) {
    showError(e.message);
  }
}

// --- the decision boundary, the digit, the loss curve ---------------------------------
const ACTIVATE = {
  tanh: Math.tanh, relu: (v) => (v > 0 ? v : 0), sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  linear: (v) => v,
};

// The network's forward pass with a frame's weights: the same sums, in the same order.
function forwardOf(model) {
  return (x) => {
    let values = x;
    for (const layer of model.layers) {
      const act = ACTIVATE[layer.activation];
      values = layer.weights.map((row, j) => {
        let sum = 0;
        for (let i = 0; i < row.length; i++) sum += row[i] * values[i];
        return act(sum + layer.biases[j]);
      });
    }
    return values;
  };
}

function bounds(points) {
  const xs = points.X.map((p) => p[0]), ys = points.X.map((p) => p[1]);
  const pad = 0.25;
  return [Math.min(...xs) - pad, Math.max(...xs) + pad, Math.min(...ys) - pad, Math.max(...ys) + pad];
}

function drawView(frame) {
  const digits = frame.config.dataset === "digits";
  $("boundary").hidden = !frame.points;
  $("digit-panel").hidden = !digits;
  $("view-title").textContent = frame.points ? "decision boundary (the page's forward pass)"
    : digits ? `sample ${frame.config.sample}: the digit ${frame.sample ? frame.sample.target : "?"}`
    : "regression: no plane to draw";
  if (frame.points) drawBoundary(frame);
  if (digits && frame.sample) drawDigit(frame);
}

function drawBoundary(frame) {
  const canvas = $("boundary"), ctx = canvas.getContext("2d");
  const [x0, x1, y0, y1] = bounds(frame.points);
  const cells = 50, w = canvas.width / cells, h = canvas.height / cells;
  for (let r = 0; r < cells; r++) {
    for (let c = 0; c < cells; c++) {
      const x = x0 + ((c + 0.5) / cells) * (x1 - x0), y = y1 - ((r + 0.5) / cells) * (y1 - y0);
      const score = lab.forward([x, y])[0];  // class 1 where the score (logit) is > 0
      ctx.fillStyle = colour(Math.tanh(score), 1.6);
      ctx.fillRect(c * w, r * h, w + 0.5, h + 0.5);
    }
  }
  frame.points.X.forEach(([px, py], k) => {
    const cx = ((px - x0) / (x1 - x0)) * canvas.width, cy = ((y1 - py) / (y1 - y0)) * canvas.height;
    ctx.beginPath();
    ctx.arc(cx, cy, k === frame.config.sample ? 6 : 3.5, 0, 2 * Math.PI);
    ctx.fillStyle = frame.points.y[k] === 1 ? "#1d4f91" : "#b5590f";
    ctx.fill();
    ctx.lineWidth = k === frame.config.sample ? 2.5 : 1;
    ctx.strokeStyle = k === frame.config.sample ? "#000" : "#fff";
    ctx.stroke();
  });
}

function drawDigit(frame) {
  const canvas = $("digit"), ctx = canvas.getContext("2d"), cell = canvas.width / 8;
  frame.sample.x.forEach((v, k) => {
    const shade = Math.round(255 * (1 - Math.max(0, Math.min(1, v))));
    ctx.fillStyle = `rgb(${shade},${shade},${shade})`;
    ctx.fillRect((k % 8) * cell, Math.floor(k / 8) * cell, cell, cell);
  });
  const logits = frame.sample.activations[frame.sample.activations.length - 1];
  const top = Math.max(...logits);
  const exps = logits.map((v) => Math.exp(v - top));
  const total = exps.reduce((a, b) => a + b, 0);
  const rows = exps.map((e, k) => {
    const row = document.createElement("div");
    const bar = document.createElement("span");
    bar.className = "bar";
    bar.style.width = `${Math.round((80 * e) / total)}px`;
    row.append(`${k}`, bar, `${((100 * e) / total).toFixed(0)}%`);
    return row;
  });
  $("probabilities").replaceChildren(...rows);
}

function drawCurve(frame) {
  const canvas = $("curve"), ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const points = frame.history;
  if (points.length < 1) return;
  const last = points[points.length - 1][0];
  const top = Math.max(...points.map((p) => p[1])) || 1;
  ctx.beginPath();
  points.forEach(([step, loss], k) => {
    const x = 4 + ((canvas.width - 8) * (step - 1)) / Math.max(1, last - 1);
    const y = canvas.height - 4 - ((canvas.height - 8) * loss) / top;
    if (k === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
  });
  ctx.strokeStyle = "#3b6fb6";
  ctx.lineWidth = 1.5;
  ctx.stroke();
  ctx.fillStyle = "#666";
  ctx.fillText(`${fmt(top)}`, 6, 12);
  ctx.fillText(`step ${last}`, canvas.width - 70, canvas.height - 8);
}

// --- controls ---------------------------------------------------------------------------
function pickPoint(event) {
  const f = lab.frame;
  if (!f || !f.points) return;
  const canvas = $("boundary"), box = canvas.getBoundingClientRect();
  const [x0, x1, y0, y1] = bounds(f.points);
  const x = x0 + ((event.clientX - box.left) / box.width) * (x1 - x0);
  const y = y1 - ((event.clientY - box.top) / box.height) * (y1 - y0);
  let best = 0, distance = Infinity;
  f.points.X.forEach(([px, py], k) => {
    const d = (px - x) ** 2 + (py - y) ** 2;
    if (d < distance) { best = k; distance = d; }
  });
  command({ command: "sample", sample: best });
}

async function openStepper() {
  try {
    const page = await api(`/api/runs/${lab.run}/stepper`);
    $("stepper-sample").textContent = lab.frame.config.sample;
    $("stepper-frame").srcdoc = page;
    $("stepper-overlay").hidden = false;
  } catch (e) {
    showError(e.message);
  }
}

function wire() {
  $("play").onclick = () => command({ command: "play" });
  $("pause").onclick = () => command({ command: "pause" });
  $("step").onclick = () => command({ command: "step", steps: 1 });
  $("reset").onclick = () => command({ command: "reset" });
  $("stepper").onclick = openStepper;
  $("stepper-close").onclick = () => { $("stepper-overlay").hidden = true; };
  $("boundary").onclick = pickPoint;
  $("sample").onchange = () => {
    if ($("sample").value.trim() !== "") command({ command: "sample", sample: typed($("sample").value) });
  };
  $("settings").onsubmit = (event) => {
    event.preventDefault();
    command({ command: "set", config: readForm() });
  };
  document.querySelectorAll("[data-preset]").forEach((button) => {
    button.onclick = () => command({ command: "set", config: PRESETS[button.dataset.preset] });
  });
  window.addEventListener("pagehide", () => {
    lab.closed = true;
    if (feed) feed.close();
    if (lab.run) {
      fetch(`/api/runs/${lab.run}/close`, { method: "POST", keepalive: true,
        headers: { "Content-Type": "application/json" }, body: "{}" });
    }
  });
}

wire();
start(PRESETS.moons);
