// chainrule's backward stepper: shows the steps Python computed (it computes no number).
// Text goes in with textContent only, so no name from the graph is ever read as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chainrule-data").textContent);
  var steps = data.steps;
  var keys = data.keys;
  var last = steps.length - 1;
  var current = -1;
  var timer = null;
  var PLAY_MS = 1400;

  function $(id) { return document.getElementById(id); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  var cells = keys.map(function (_, i) { return $("cr-g" + i); });
  var edgeIds = [];
  steps.forEach(function (s) { if (s.edges) { edgeIds = edgeIds.concat(s.edges); } });
  var slider = $("cr-slider");
  slider.max = String(last);
  var graph = $("cr-graph");
  var panel = $("cr-panel");
  var svg = graph.querySelector("svg");
  var natural = { w: svg.width.baseVal.value, h: svg.height.baseVal.value };  // CSS px
  var READABLE = 0.75;  // of Graphviz's size, at least: a 9 pt edge label stays 9 px tall

  // The grad text of every node after step k: the steps' "set" lists, replayed in order.
  function gradsAt(k) {
    var shown = keys.map(function () { return null; });
    for (var j = 0; j <= k; j++) {
      (steps[j].set || []).forEach(function (pair) { shown[pair[0]] = pair[1]; });
    }
    return shown;
  }

  function setClass(el, name, on) {
    if (el) { el.classList.toggle(name, on); }
  }

  function showDrawing(k) {
    var shown = gradsAt(k);
    var fresh = {};
    (steps[k].set || []).forEach(function (pair) { fresh[pair[0]] = true; });
    cells.forEach(function (cell, i) {
      if (!cell) { return; }
      cell.textContent = shown[i] === null ? "" : shown[i];
      setClass(cell, "cr-none", shown[i] === null);
      setClass(cell, "cr-new", fresh[i] === true);
    });
    each(document.querySelectorAll("#cr-graph .cr-active, #cr-graph .cr-flow"), function (el) {
      el.classList.remove("cr-active", "cr-flow");
    });
    var state = {};
    steps.forEach(function (s, j) {
      (s.edges || []).forEach(function (id) {
        state[id] = j < k ? "cr-done" : (j === k ? "cr-lit" : "cr-pending");
      });
    });
    edgeIds.forEach(function (id) {
      var edge = $(id);
      setClass(edge, "cr-pending", state[id] === "cr-pending");
      setClass(edge, "cr-done", state[id] === "cr-done");
      setClass(edge, "cr-lit", state[id] === "cr-lit");
    });
    var node = steps[k].node;
    if (node !== undefined) {
      setClass($("cr-v" + node), "cr-active", true);
      setClass($("cr-op" + node), "cr-active", true);
      setClass($("cr-o" + node), "cr-flow", true);
    }
  }

  function showPanel(k) {
    $("cr-title").textContent = steps[k].title;
    var box = $("cr-lines");
    while (box.firstChild) { box.removeChild(box.firstChild); }
    steps[k].lines.forEach(function (line) {
      var p = document.createElement("p");
      p.className = line[0];
      p.textContent = line[1];
      box.appendChild(p);
    });
    slider.value = String(k);
    $("cr-counter").textContent = "step " + k + " of " + last;
    $("cr-prev").disabled = k === 0;
    $("cr-next").disabled = k === last;
  }

  function go(k) {
    if (typeof k !== "number" || !isFinite(k) || Math.floor(k) !== k || k < 0 || k > last) {
      throw new RangeError("chainrule.go: step must be an integer from 0 to " + last +
                           ", got " + String(k));
    }
    current = k;
    showDrawing(k);
    showPanel(k);
    follow(k);
    return k;
  }

  // The drawing's size: fitted to its frame, but never below READABLE (the frame scrolls
  // then), unless "whole graph" is ticked; never above Graphviz's own size. The drawing and
  // the panel share the window's height below the header, so the page itself never scrolls.
  function size() {
    var room = Math.max(window.innerHeight - $("cr-header").offsetHeight - 24, 200);
    var stacked = panel.offsetTop > graph.offsetTop;  // narrow: the panel below the drawing
    graph.style.maxHeight = (stacked ? Math.round(room * 0.6) : room) + "px";
    panel.style.maxHeight = stacked ? "" : room + "px";
    var fit = graph.clientWidth / natural.w;
    if ($("cr-whole").checked) { fit = Math.min(fit, (stacked ? room * 0.6 : room) / natural.h); }
    else { fit = Math.max(fit, READABLE); }
    var scale = Math.min(fit, 1);
    svg.style.width = Math.floor(natural.w * scale) + "px";
    svg.style.height = Math.floor(natural.h * scale) + "px";
  }

  // Scroll the drawing (never the page) to what step k changes: the node passing its
  // gradient, its edges' labels and the grads they reach, or as much of that as fits (the node
  // first); at the seed the root's grad; at step 0 the drawing's start.
  function follow(k) {
    var s = steps[k];
    var tiers = [];
    if (s.node !== undefined) {
      var labels = [];
      (s.edges || []).forEach(function (id) {
        if (!/-in$/.test(id)) { each($(id).querySelectorAll("text"), function (t) { labels.push(t); }); }
      });
      var node = [$("cr-op" + s.node), $("cr-v" + s.node)];
      var reached = (s.set || []).map(function (pair) { return $("cr-g" + pair[0]); });
      tiers = [node.concat(labels, reached), node.concat(labels), node.slice(0, 1)];
    } else if (k === 1) {
      tiers = [[$("cr-g" + s.set[0][0])]];
    }
    var view = graph.getBoundingClientRect();
    var left = view.left + graph.clientLeft, top = view.top + graph.clientTop;
    for (var j = 0; j < tiers.length; j++) {
      var rects = tiers[j].filter(function (el) { return el; }).map(function (el) {
        return el.getBoundingClientRect();
      });
      if (rects.length === 0) { continue; }
      var box = rects.reduce(function (a, b) {
        return { left: Math.min(a.left, b.left), right: Math.max(a.right, b.right),
                 top: Math.min(a.top, b.top), bottom: Math.max(a.bottom, b.bottom) };
      });
      var fits = box.right - box.left <= graph.clientWidth && box.bottom - box.top <= graph.clientHeight;
      if (fits || j === tiers.length - 1) {
        graph.scrollLeft += (box.left + box.right) / 2 - left - graph.clientWidth / 2;
        graph.scrollTop += (box.top + box.bottom) / 2 - top - graph.clientHeight / 2;
        return;
      }
    }
    graph.scrollLeft = 0;
    graph.scrollTop = 0;
  }

  function pause() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    $("cr-play").textContent = "▶ play";
  }

  function play() {
    if (current === last) { go(0); }
    $("cr-play").textContent = "❚❚ pause";
    timer = setInterval(function () {
      if (current >= last) { pause(); } else { go(current + 1); }
    }, PLAY_MS);
  }

  function goTo(k) {
    pause();
    k = Math.min(Math.max(k, 0), last);
    if (k !== current) { go(k); }
  }

  $("cr-prev").addEventListener("click", function () { goTo(current - 1); });
  $("cr-next").addEventListener("click", function () { goTo(current + 1); });
  $("cr-play").addEventListener("click", function () { if (timer === null) { play(); } else { pause(); } });
  function resize() { size(); if (current >= 0) { follow(current); } }
  $("cr-whole").addEventListener("change", resize);
  window.addEventListener("resize", resize);
  slider.addEventListener("input", function () { pause(); go(Number(slider.value)); });
  document.addEventListener("keydown", function (event) {
    if (event.target === slider || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: last }[event.key];
    if (target === undefined) { return; }
    event.preventDefault();
    goTo(target);
  });

  window.chainrule = {
    steps: steps.length,
    get step() { return current; },
    go: go,
    grads: function () {
      var out = {};
      keys.forEach(function (key, i) {
        var text = cells[i] ? cells[i].textContent : "";
        out[key] = cells[i] && !cells[i].classList.contains("cr-none") && text !== "" ? text : null;
      });
      return out;
    }
  };

  // page.html#step=5 opens at step 5 (and a new #step=k, typed in, goes there).
  function goToHash() {
    var asked = /^#step=(\d+)$/.exec(window.location.hash);
    if (asked) { goTo(Number(asked[1])); }
  }
  window.addEventListener("hashchange", goToHash);
  size();
  go(0);
  goToHash();
}());
