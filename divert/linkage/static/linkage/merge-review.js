// j and k move between pairs; m, n and u press the button carrying that data-key in the
// current pair (outside text fields). The current pair keeps its place across htmx swaps.
(function () {
  var currentId = null;

  function pairs() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-pair]"));
  }

  function select(pair) {
    pairs().forEach(function (p) { p.classList.remove("current"); });
    if (!pair) return;
    pair.classList.add("current");
    currentId = pair.id;
    pair.focus({ preventScroll: true });
    pair.scrollIntoView({ block: "nearest" });
  }

  function current() {
    return (currentId && document.getElementById(currentId)) || pairs()[0] || null;
  }

  document.addEventListener("DOMContentLoaded", function () { select(pairs()[0]); });
  document.body.addEventListener("htmx:afterSwap", function () {
    var pair = current();
    if (pair) pair.classList.add("current");
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    var key = event.key.toLowerCase();
    var all = pairs();
    var here = current();
    var at = all.indexOf(here);
    if (key === "j" || key === "k") {
      event.preventDefault();
      var next = all[Math.min(all.length - 1, Math.max(0, at + (key === "j" ? 1 : -1)))];
      select(next);
      return;
    }
    if (!here) return;
    var button = here.querySelector('[data-key="' + key + '"]');
    if (!button) return;
    event.preventDefault();
    button.click();
  });
})();
