// A signature drawn with a finger (or mouse, or pen) on a canvas, sent as a PNG data URL in
// the form's hidden field. Without this script the canvas stays hidden and the participant
// consents aloud before a named witness instead.
(function () {
  "use strict";

  function setUp(box) {
    var canvas = box.querySelector("canvas");
    var field = box.querySelector("input[type=hidden]");
    var clear = box.querySelector("[data-signature-clear]");
    if (!canvas || !field) return;
    canvas.hidden = false;
    clear.hidden = false;
    var ctx = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;
    var last = null;

    // The drawing surface matches the box as shown, so strokes land under the finger.
    function fit() {
      var width = Math.round(canvas.getBoundingClientRect().width) || 340;
      var ratio = Math.min(window.devicePixelRatio || 1, 2);
      canvas.width = width * ratio;
      canvas.height = 150 * ratio;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineWidth = 2.5;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#111";
    }

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return { x: event.clientX - rect.left, y: event.clientY - rect.top };
    }

    function save() {
      field.value = drawn ? canvas.toDataURL("image/png") : "";
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      drawing = true;
      last = point(event);
      ctx.beginPath();
      ctx.arc(last.x, last.y, 1, 0, 2 * Math.PI);
      ctx.fillStyle = "#111";
      ctx.fill();
      drawn = true;
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      event.preventDefault();
      var next = point(event);
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(next.x, next.y);
      ctx.stroke();
      last = next;
    });
    function stop() {
      if (!drawing) return;
      drawing = false;
      save();
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("pointerleave", stop);

    clear.addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      drawn = false;
      save();
    });

    // A form shown again with errors keeps no picture: ask for the signature again.
    field.value = "";
    fit();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-signature]").forEach(setUp);
  });
})();
