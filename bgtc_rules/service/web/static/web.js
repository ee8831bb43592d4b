// The web page works without this script. It only helps: on a question, the keyboard focus goes to
// the first answer; and a what-if's value box is disabled while "make it unknown" is ticked.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var first = document.querySelector(".question-form .answer input, .question-form .answer select");
  if (first && !document.querySelector("#answer-error")) { first.focus(); }
  var unknown = document.getElementById("whatif-unknown");
  var value = document.getElementById("whatif-value");
  if (unknown && value) {
    var sync = function () { value.disabled = unknown.checked; };
    unknown.addEventListener("change", sync);
    sync();
  }
});
