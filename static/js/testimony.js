// The testimony page's enhancements; without them every link and the citations still work.
// 1. A time code in the transcript seeks the player on the page instead of opening the file.
// 2. Copy buttons put a citation on the clipboard.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.seek");
    if (!link) {
      return;
    }
    var player = document.getElementById(link.dataset.media);
    if (!player || typeof player.play !== "function") {
      return; // no player on the page: the link opens the recording at that moment
    }
    event.preventDefault();
    player.currentTime = Number(link.dataset.start) || 0;
    player.scrollIntoView({block: "nearest"});
    var playing = player.play();
    if (playing && typeof playing.catch === "function") {
      playing.catch(function () { /* the reader can press play */ });
    }
  });

  var status = document.querySelector(".copy-status");
  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  if (!navigator.clipboard) {
    return; // the buttons stay hidden; the texts can be selected by hand
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.copy);
      if (!source) {
        return;
      }
      var text = source.href || source.textContent.trim();
      navigator.clipboard.writeText(text).then(
        function () { say(button.dataset.copied || "Copied."); },
        function () { say(button.dataset.failed || "Could not copy; select the text instead."); }
      );
    });
  });
})();
