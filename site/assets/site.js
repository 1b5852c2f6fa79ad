// HA PostgreSQL Workbook: progressive enhancements. Every page reads fine without this file;
// with it, code blocks get copy buttons, the search dialog works, recordings play, and the
// "On this page" list follows the reader.
(() => {
  const script = document.currentScript;
  const siteRoot = new URL('../', script ? script.src : document.baseURI);

  // ---------- copy buttons ----------

  const COPY_ICON =
    '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><rect x="9" y="9" width="12" height="12" rx="2"/><path d="M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1"/></svg>';

  /** The text a block's copy button copies: prompts and command output left out. */
  function copyText(figure) {
    const code = figure.querySelector('pre code');
    if (!code) return '';
    if (!figure.classList.contains('has-prompts')) return code.textContent.replace(/\n$/, '');
    const lines = [];
    for (const line of code.querySelectorAll(':scope > .line')) {
      if (line.classList.contains('output')) continue;
      const prompt = line.querySelector(':scope > .prompt');
      const text = line.textContent;
      lines.push(prompt ? text.slice(prompt.textContent.length) : text);
    }
    return lines.join('\n');
  }

  async function writeClipboard(text) {
    if (navigator.clipboard?.writeText) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch {
        // Fall through to the selection-based copy (insecure origins, denied permission).
      }
    }
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }

  for (const figure of document.querySelectorAll('figure.code')) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy';
    const host = figure.dataset.host;
    const label = host
      ? `Copy the commands for ${host}`
      : figure.classList.contains('has-prompts')
        ? 'Copy the commands'
        : 'Copy the code';
    button.setAttribute('aria-label', label);
    button.title = button.getAttribute('aria-label');
    button.innerHTML = `${COPY_ICON}<span class="copy-text">Copied</span>`;
    let timer;
    button.addEventListener('click', async () => {
      const ok = await writeClipboard(copyText(figure));
      button.classList.toggle('copied', ok);
      clearTimeout(timer);
      timer = setTimeout(() => button.classList.remove('copied'), 2000);
    });
    const title = figure.querySelector(':scope > .code-title');
    if (title) title.append(button);
    else figure.append(button);
  }

  // ---------- progress: a "done" tick per chapter, kept in this browser ----------

  const DONE_KEY = 'ha-workbook:done';
  const readDone = () => {
    try {
      const list = JSON.parse(localStorage.getItem(DONE_KEY) || '[]');
      return new Set(Array.isArray(list) ? list.filter((x) => typeof x === 'string') : []);
    } catch {
      return new Set();
    }
  };
  const writeDone = (done) => {
    try {
      localStorage.setItem(DONE_KEY, JSON.stringify([...done].sort()));
      return true;
    } catch {
      return false; // storage off (private mode, policy): the tick lasts for this page only
    }
  };
  /** The chapters ticked, as this page knows them (kept in memory too, should storage be off). */
  let done = readDone();
  const chapterLinks = [...document.querySelectorAll('.sidebar a[data-chapter]')];
  const thisChapter = document.querySelector('.sidebar a[data-chapter][aria-current="page"]')?.dataset.chapter;
  let doneButton;

  function showProgress() {
    for (const link of chapterLinks) {
      const isDone = done.has(link.dataset.chapter);
      link.classList.toggle('done', isDone);
      let mark = link.querySelector('.done-mark');
      if (isDone && !mark) {
        mark = document.createElement('span');
        mark.className = 'done-mark';
        mark.innerHTML = '<span class="visually-hidden"> (done)</span>';
        link.append(mark);
      } else if (!isDone && mark) mark.remove();
    }
    for (const card of document.querySelectorAll('.chapter-cards a[href]')) {
      card.classList.toggle('done', done.has(card.getAttribute('href')));
    }
    const progress = document.querySelector('[data-progress]');
    if (progress && chapterLinks.length > 0) {
      const count = chapterLinks.filter((l) => done.has(l.dataset.chapter)).length;
      progress.textContent = `${count} of ${chapterLinks.length} done`;
      progress.hidden = false;
    }
    if (doneButton) {
      const isDone = done.has(thisChapter);
      doneButton.setAttribute('aria-pressed', String(isDone));
      doneButton.querySelector('.done-label').textContent = isDone ? 'Done' : 'Mark this chapter as done';
      doneButton.title = isDone
        ? 'Done: press again to take the tick away'
        : 'Keep a tick in the chapter list (in this browser only)';
    }
  }

  if (thisChapter) {
    const box = document.createElement('div');
    box.className = 'done-box';
    doneButton = document.createElement('button');
    doneButton.type = 'button';
    doneButton.className = 'done-toggle';
    doneButton.innerHTML = '<span class="done-check" aria-hidden="true"></span><span class="done-label"></span>';
    doneButton.addEventListener('click', () => {
      if (done.has(thisChapter)) done.delete(thisChapter);
      else done.add(thisChapter);
      writeDone(done);
      showProgress();
    });
    box.append(doneButton);
    document.querySelector('.content .doc')?.after(box);
  }
  showProgress();
  // Another tab ticked a chapter: follow it.
  window.addEventListener('storage', (event) => {
    if (event.key !== DONE_KEY && event.key !== null) return;
    done = readDone();
    showProgress();
  });

  // ---------- Lab / Vagrant tabs ----------

  // Every tab group shows the attendee's target; the choice is kept for every page (and the
  // print view shows all panels). Keys: ← → Home End move between tabs, as WAI-ARIA's tabs do.
  const TAB_KEY = 'ha-workbook:target-tab';
  const readTab = () => {
    try {
      return localStorage.getItem(TAB_KEY);
    } catch {
      return null;
    }
  };
  const groups = document.body.classList.contains('page-print') ? [] : [...document.querySelectorAll('[data-tabs]')];
  function showTab(group, key, focus) {
    const tabs = [...group.querySelectorAll('[role="tab"]')];
    const chosen = tabs.find((t) => t.dataset.tab === key) || tabs[0];
    for (const tab of tabs) {
      const on = tab === chosen;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute('aria-controls'));
      if (panel) panel.hidden = !on;
    }
    if (focus) chosen.focus();
  }
  for (const group of groups) {
    const list = group.querySelector('[role="tablist"]');
    list.hidden = false;
    group.classList.add('tabs-ready');
    showTab(group, readTab());
    list.addEventListener('click', (event) => {
      const tab = event.target.closest('[role="tab"]');
      if (!tab) return;
      try {
        localStorage.setItem(TAB_KEY, tab.dataset.tab);
      } catch {}
      // Every group follows, and the one clicked stays where it is on the screen.
      const before = tab.getBoundingClientRect().top;
      for (const g of groups) showTab(g, tab.dataset.tab, g === group);
      window.scrollBy(0, tab.getBoundingClientRect().top - before);
    });
    list.addEventListener('keydown', (event) => {
      const tabs = [...list.querySelectorAll('[role="tab"]')];
      const index = tabs.indexOf(document.activeElement);
      if (index === -1) return;
      const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      const tab = tabs[(next + tabs.length) % tabs.length];
      tab.click();
    });
  }
  window.addEventListener('storage', (event) => {
    if (event.key !== TAB_KEY) return;
    for (const g of groups) showTab(g, event.newValue);
  });

  // ---------- diagrams and charts: enlarge on a phone ----------

  const ZOOM_ICON =
    '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M15 3h6v6M9 21H3v-6M21 3l-7 7M3 21l7-7"/></svg>';
  let zoom;
  /** One dialog for every picture: the picture at a readable size, panned by scrolling, zoomed with − and +. */
  function zoomDialog() {
    if (zoom) return zoom;
    const dialog = document.createElement('dialog');
    dialog.className = 'zoom-dialog';
    dialog.setAttribute('aria-labelledby', 'zoom-title');
    dialog.innerHTML =
      '<div class="zoom-bar"><p class="zoom-title" id="zoom-title"></p>' +
      '<button type="button" class="zoom-button" data-zoom="out" aria-label="Zoom out">−</button>' +
      '<button type="button" class="zoom-button" data-zoom="in" aria-label="Zoom in">+</button>' +
      '<button type="button" class="zoom-button zoom-close" aria-label="Close">×</button></div>' +
      '<div class="zoom-body" tabindex="0"></div>';
    document.body.append(dialog);
    const body = dialog.querySelector('.zoom-body');
    const state = { dialog, body, scale: 1, natural: 960, element: undefined, restore: undefined };
    const apply = () => {
      if (state.element) state.element.style.width = `${Math.round(state.natural * state.scale)}px`;
    };
    dialog.querySelector('[data-zoom="in"]').addEventListener('click', () => {
      state.scale = Math.min(4, state.scale * 1.25);
      apply();
    });
    dialog.querySelector('[data-zoom="out"]').addEventListener('click', () => {
      state.scale = Math.max(0.25, state.scale / 1.25);
      apply();
    });
    dialog.querySelector('.zoom-close').addEventListener('click', () => dialog.close());
    dialog.addEventListener('click', (event) => {
      if (event.target === dialog) dialog.close();
    });
    dialog.addEventListener('close', () => {
      state.restore?.();
      state.restore = undefined;
      state.element = undefined;
      body.replaceChildren();
    });
    state.apply = apply;
    zoom = state;
    return zoom;
  }

  function enlarge(picture, title) {
    const z = zoomDialog();
    z.dialog.querySelector('.zoom-title').textContent = title;
    if (picture instanceof SVGSVGElement) {
      // Move the drawing itself (its ids stay unique), leaving a placeholder of its size.
      const holder = document.createElement('div');
      holder.style.height = `${picture.getBoundingClientRect().height}px`;
      picture.replaceWith(holder);
      z.element = picture;
      z.natural = picture.viewBox.baseVal?.width || 960;
      z.restore = () => {
        picture.style.width = '';
        holder.replaceWith(picture);
      };
    } else {
      const copy = picture.cloneNode();
      copy.removeAttribute('loading');
      z.element = copy;
      z.natural = picture.naturalWidth || 880;
    }
    z.element.classList.add('zoomed');
    z.body.append(z.element);
    z.dialog.showModal();
    // Readable at once: the natural size (about 13 px text) on a phone, larger where it fits.
    const room = z.body.clientWidth - 32;
    z.scale = Math.max(1, Math.min(1.6, room / z.natural));
    z.apply();
    z.body.scrollLeft = 0;
    z.body.focus();
  }

  const pictures = [
    ...[...document.querySelectorAll('.doc figure.architecture')].map((figure) => ({
      box: figure,
      picture: () => figure.querySelector('svg.diagram'),
      title: () => figure.querySelector('svg.diagram title')?.textContent ?? 'Diagram',
    })),
    ...[...document.querySelectorAll('.doc a.chart-link')].map((link) => ({
      box: link,
      picture: () => link.querySelector('img'),
      title: () => link.querySelector('img')?.alt ?? 'Chart',
    })),
  ];
  for (const { box, picture, title } of pictures) {
    box.classList.add('zoomable');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'zoom-open';
    button.innerHTML = `${ZOOM_ICON}<span>Enlarge</span>`;
    button.setAttribute('aria-label', `Enlarge: ${title()}`);
    const open = (event) => {
      event.preventDefault();
      const element = picture();
      if (element) enlarge(element, title());
    };
    button.addEventListener('click', open);
    box.addEventListener('click', (event) => {
      if (event.target.closest('svg.diagram, img')) open(event);
    });
    if (box.tagName === 'A') box.after(button);
    else box.append(button);
  }

  // ---------- the print view: a button for the browser's Print command ----------

  const lead = document.querySelector('.page-print .print-lead');
  if (lead && typeof window.print === 'function') {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'print-button';
    button.textContent = 'Print or save as PDF';
    button.addEventListener('click', () => window.print());
    // Fewer sheets: the scripts and transcripts can be left out (the chapters still name them).
    const choices = document.createElement('fieldset');
    choices.className = 'print-choices';
    choices.innerHTML =
      '<legend>Print</legend>' +
      '<label><input type="checkbox" checked data-omit="scripts"> the step and check scripts</label>' +
      '<label><input type="checkbox" checked data-omit="transcripts"> the terminal transcripts</label>';
    for (const box of choices.querySelectorAll('input')) {
      box.addEventListener('change', () => document.body.classList.toggle(`print-omit-${box.dataset.omit}`, !box.checked));
    }
    lead.after(choices, button);
  }

  // ---------- navigation ----------

  const navToggle = document.getElementById('nav-toggle');
  document.querySelector('.sidebar')?.addEventListener('click', (event) => {
    if (navToggle && event.target.closest('a')) navToggle.checked = false;
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && navToggle?.checked) navToggle.checked = false;
  });

  // "On this page": the side list (wide screens) and the bar under the top bar (narrower ones)
  // both follow the reader; the bar also names the current section and closes after a jump.
  const localNav = document.querySelector('.local-nav');
  const localCurrent = localNav?.querySelector('.local-nav-current');
  localNav?.addEventListener('click', (event) => {
    if (event.target.closest('a')) localNav.open = false;
  });
  document.addEventListener('click', (event) => {
    if (localNav?.open && !localNav.contains(event.target)) localNav.open = false;
  });
  const tocLinks = new Map();
  for (const link of document.querySelectorAll('.toc a[href^="#"], .local-nav a[href^="#"]')) {
    const id = decodeURIComponent(link.hash.slice(1));
    tocLinks.set(id, [...(tocLinks.get(id) ?? []), link]);
  }
  if (tocLinks.size > 0) {
    const headings = [...tocLinks.keys()].map((id) => document.getElementById(id)).filter(Boolean);
    let current;
    let pending = false;
    /** The section being read: the last heading above the first third of the screen. */
    const follow = () => {
      pending = false;
      const line = Math.min(window.innerHeight / 3, 240);
      let found;
      for (const heading of headings) {
        if (heading.getBoundingClientRect().top <= line) found = heading;
        else break;
      }
      if (found === current) return;
      current = found;
      for (const [id, links] of tocLinks) for (const link of links) link.classList.toggle('active', id === found?.id);
      if (localCurrent) localCurrent.textContent = found ? (tocLinks.get(found.id)?.[0]?.textContent ?? '') : '';
    };
    const schedule = () => {
      if (!pending) {
        pending = true;
        requestAnimationFrame(follow);
      }
    };
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    follow();
  }

  // Print the transcripts of recordings too.
  window.addEventListener('beforeprint', () => {
    for (const details of document.querySelectorAll('details')) details.open = true;
  });

  // ---------- recordings: the player is loaded when a recording is played ----------

  window.workbookPlayers = [];
  let playerScript;
  /** asciinema-player's script and style (about 250 kB), fetched on the first press of a play button. */
  function loadPlayer() {
    playerScript ??= new Promise((resolve, reject) => {
      const style = document.createElement('link');
      style.rel = 'stylesheet';
      style.href = new URL('assets/asciinema-player.css', siteRoot).href;
      document.head.append(style);
      const script = document.createElement('script');
      script.src = new URL('assets/asciinema-player.min.js', siteRoot).href;
      script.onload = () => resolve(window.AsciinemaPlayer);
      script.onerror = () => {
        playerScript = undefined;
        reject(new Error('the player could not be loaded'));
      };
      document.head.append(script);
    });
    return playerScript;
  }

  // Opened straight from the disk, the browser cannot fetch the recording: keep the transcript.
  // The print view shows transcripts only.
  if (location.protocol !== 'file:' && !document.body.classList.contains('page-print')) {
    for (const figure of document.querySelectorAll('figure.recording[data-cast]')) {
      const mount = figure.querySelector('.recording-player');
      const transcript = figure.querySelector('.recording-transcript');
      if (!mount) continue;
      // The poster: the end of the transcript, as the terminal showed it last.
      const rows = Number(figure.dataset.rows) || 24;
      const lines = (transcript?.querySelector('pre')?.textContent ?? '').replace(/\s+$/, '').split('\n');
      const poster = document.createElement('button');
      poster.type = 'button';
      poster.className = 'recording-poster';
      poster.setAttribute('aria-label', 'Play the terminal recording');
      const screen = document.createElement('pre');
      screen.setAttribute('aria-hidden', 'true');
      screen.textContent = lines.slice(-Math.min(rows, 14)).join('\n');
      const play = document.createElement('span');
      play.className = 'recording-play';
      play.innerHTML =
        '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M8 5.5v13l11-6.5z"/></svg><span>Play the recording</span>';
      poster.append(screen, play);
      mount.append(poster);
      if (transcript) transcript.open = false;
      poster.addEventListener('click', async () => {
        poster.disabled = true;
        poster.classList.add('loading');
        try {
          const AsciinemaPlayer = await loadPlayer();
          poster.remove();
          const player = AsciinemaPlayer.create(new URL(figure.dataset.cast, siteRoot).href, mount, {
            cols: Number(figure.dataset.cols),
            rows,
            autoPlay: true,
            fit: 'width',
            idleTimeLimit: 2,
            terminalFontFamily: "'JetBrains Mono Variable', ui-monospace, 'DejaVu Sans Mono', monospace",
          });
          window.workbookPlayers.push(player);
          mount.querySelector('.ap-wrapper')?.focus?.();
        } catch {
          poster.disabled = false;
          poster.classList.remove('loading');
          play.lastElementChild.textContent = 'The player could not be loaded: read the transcript below';
          if (transcript) transcript.open = true;
        }
      });
    }
  }

  // ---------- search (Pagefind, loaded on first use) ----------

  const dialog = document.getElementById('search-dialog');
  const input = document.getElementById('search-input');
  const results = document.getElementById('search-results');
  const openButton = document.querySelector('[data-search-open]');
  if (!dialog || !input || !results || !openButton || typeof dialog.showModal !== 'function') return;
  openButton.hidden = false;

  let pagefind;
  async function loadPagefind() {
    if (!pagefind) {
      pagefind = import(new URL('pagefind/pagefind.js', siteRoot).href).then(async (module) => {
        await module.options({ excerptLength: 24 });
        module.init();
        return module;
      });
    }
    return pagefind;
  }

  function status(text) {
    results.innerHTML = '';
    const p = document.createElement('p');
    p.className = 'search-status';
    p.textContent = text;
    results.append(p);
  }

  /** Pagefind returns root-relative URLs; make them relative to where the site really lives. */
  const resultUrl = (url) => new URL(url.replace(/^\//, ''), siteRoot).href;

  function escapeText(text) {
    const span = document.createElement('span');
    span.textContent = text;
    return span.innerHTML;
  }

  let searchId = 0;
  async function runSearch(query) {
    const id = ++searchId;
    if (!query.trim()) {
      results.innerHTML = '';
      return;
    }
    let module;
    try {
      module = await loadPagefind();
    } catch {
      status('Search is not available: the site must be served over HTTP (npm run site:serve), and built with its search index.');
      return;
    }
    const search = await module.debouncedSearch(query, {}, 150);
    if (search === null || id !== searchId) return;
    if (search.results.length === 0) {
      status(`No results for “${query}”.`);
      return;
    }
    const data = await Promise.all(search.results.slice(0, 8).map((r) => r.data()));
    if (id !== searchId) return;
    const list = document.createElement('ol');
    for (const page of data) {
      const li = document.createElement('li');
      li.className = 'search-result';
      const subs = (page.sub_results || [])
        .filter((s) => s.url !== page.url && s.title !== page.meta.title)
        .slice(0, 3)
        .map((s) => `<a class="sub" href="${resultUrl(s.url)}"><strong>${escapeText(s.title)}</strong> · ${s.excerpt}</a>`)
        .join('');
      li.innerHTML = `<a href="${resultUrl(page.url)}"><span class="search-result-title">${escapeText(page.meta.title || page.url)}</span>${page.excerpt}</a>${subs}`;
      list.append(li);
    }
    results.innerHTML = '';
    results.append(list);
    select(0);
  }

  function links() {
    return [...results.querySelectorAll('a')];
  }
  function select(index) {
    const all = links();
    all.forEach((a, i) => {
      a.classList.toggle('selected', i === index);
      if (i === index) a.scrollIntoView({ block: 'nearest' });
    });
  }
  function selectedIndex() {
    return links().findIndex((a) => a.classList.contains('selected'));
  }

  function openSearch() {
    if (dialog.open) return;
    dialog.showModal();
    input.focus();
    input.select();
    loadPagefind().catch(() => {});
  }

  openButton.addEventListener('click', openSearch);
  input.addEventListener('input', () => runSearch(input.value));
  input.addEventListener('keydown', (event) => {
    const all = links();
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (all.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      select((selectedIndex() + step + all.length) % all.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const target = all[Math.max(0, selectedIndex())];
      if (target) target.click();
    }
  });
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
    else if (event.target.closest('a')) dialog.close();
  });
  document.addEventListener('keydown', (event) => {
    const typing = event.target.closest?.('input, textarea, [contenteditable="true"]');
    if ((event.key === '/' && !typing) || (event.key.toLowerCase() === 'k' && (event.metaKey || event.ctrlKey))) {
      event.preventDefault();
      openSearch();
    }
  });
})();
