// Highlights the cited lines named by the address's #L27-L31 (or #L27) and scrolls to them.
(function () {
  function highlight() {
    document.querySelectorAll(".line.hl").forEach(function (el) { el.classList.remove("hl"); });
    var m = /^#L(\d+)(?:-L(\d+))?$/.exec(window.location.hash);
    if (!m) return;
    var first = parseInt(m[1], 10), last = parseInt(m[2] || m[1], 10);
    for (var n = first; n <= last; n++) {
      var el = document.getElementById("L" + n);
      if (el) el.classList.add("hl");
    }
    var start = document.getElementById("L" + first);
    if (start) start.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", highlight);
  highlight();
})();
