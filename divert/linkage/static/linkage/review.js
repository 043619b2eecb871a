// y, n and s press the button or link carrying that data-key (outside text fields).
document.addEventListener("keydown", function (event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  var tag = (event.target.tagName || "").toLowerCase();
  if (tag === "input" || tag === "textarea" || tag === "select") return;
  var target = document.querySelector('#decide [data-key="' + event.key.toLowerCase() + '"]');
  if (!target) return;
  event.preventDefault();
  target.click();
});
