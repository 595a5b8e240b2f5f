// Parasol web app: the live and interactive parts of the server-rendered pages (ADR 0012).
// Plain JavaScript, no framework: it calls the public JSON API with the session cookie.
'use strict';

(function () {
  const text = (key, fallback) => {
    const el = document.getElementById('i18n');
    return (el && el.dataset[key]) || fallback;
  };

  async function api(method, url, body, headers) {
    const options = {
      method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin',
    };
    if (body instanceof FormData) {
      options.body = body;
    } else if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    const type = response.headers.get('Content-Type') || '';
    const data = type.includes('json') ? await response.json() : await response.text();
    return { status: response.status, ok: response.ok, data };
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v);
    });
    (children || []).forEach((c) => node.appendChild(c));
    return node;
  }

  // A problem+json answer in one line: its field messages, else its detail.
  const problemText = (problem) =>
    (problem.errors || []).map((e) => e.field + ' ' + e.message).join('; ') || problem.detail || problem.title;

  const idempotencyKey = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());

  const when = (iso) => (iso ? new Date(iso).toLocaleString(document.documentElement.lang) : '');

  // States in the page's language (the pages render them as the API names them).
  const stateLabel = (state) => text(
    'state' + state.toLowerCase().split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join(''), state);
  document.querySelectorAll('.state').forEach((s) => {
    s.dataset.value = s.textContent.trim();
    s.textContent = stateLabel(s.dataset.value);
  });

  // Times in the reader's time zone and language.
  document.querySelectorAll('time[datetime]').forEach((t) => {
    const at = new Date(t.getAttribute('datetime'));
    if (!Number.isNaN(at.getTime())) {
      t.title = t.getAttribute('datetime');
      t.textContent = at.toLocaleString(document.documentElement.lang, { dateStyle: 'short', timeStyle: 'short' });
    }
  });

  // ------------------------------------------------------------ language switch
  document.querySelectorAll('[data-lang-switch]').forEach((a) => {
    a.href += '?back=' + encodeURIComponent(location.pathname + location.search);
  });

  // ------------------------------------------------------------ launch form
  const form = document.getElementById('launch-form');
  if (form) {
    const fields = Array.from(form.querySelectorAll('.field'));

    const valueOf = (field) => {
      const kind = field.dataset.kind;
      const input = document.getElementById('f-' + field.dataset.field);
      if (kind === 'boolean') return input.checked;
      const raw = input.value.trim();
      if (raw === '') return undefined;
      if (kind === 'number' || kind === 'integer') {
        const n = Number(raw);
        return Number.isFinite(n) ? n : raw; // the server says what is wrong with it
      }
      return raw;
    };

    const values = () => {
      const all = {};
      fields.forEach((f) => {
        const v = valueOf(f);
        if (v !== undefined) all[f.dataset.field] = v;
      });
      return all;
    };

    const applyConditions = () => {
      const all = values();
      fields.forEach((f) => {
        if (!f.dataset.visibleWhen) return;
        const c = JSON.parse(f.dataset.visibleWhen);
        const actual = all[c.field];
        f.hidden = !c.anyOf.some((v) => v === actual || (typeof v === 'number' && Number(actual) === v));
      });
    };

    const inputs = () => {
      const all = {};
      fields.filter((f) => !f.hidden).forEach((f) => {
        const v = valueOf(f);
        if (v !== undefined) all[f.dataset.field] = v;
      });
      return all;
    };

    const clearErrors = () => {
      form.querySelectorAll('.error').forEach((e) => { e.hidden = true; e.textContent = ''; });
      form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
    };

    const showProblem = (problem) => {
      const formError = document.getElementById('form-error');
      let first = null;
      const general = [];
      (problem.errors || []).forEach((e) => {
        const id = (e.field || '').replace(/^inputs\./, '');
        const message = document.getElementById('e-' + id);
        const input = document.getElementById('f-' + id);
        if (message && input) {
          message.textContent = e.message;
          message.hidden = false;
          input.setAttribute('aria-invalid', 'true');
          first = first || input;
        } else {
          general.push((e.field ? e.field + ' ' : '') + e.message);
        }
      });
      formError.textContent = [text('fixFields', 'Please correct the fields marked below.')]
        .concat(general.length ? general : (problem.errors ? [] : [problem.detail || problem.title]))
        .join(' ');
      formError.hidden = false;
      (first || formError).focus();
    };

    const request = () => ({ appId: form.dataset.app, version: form.dataset.version, inputs: inputs() });

    form.addEventListener('input', applyConditions);
    form.addEventListener('change', applyConditions);
    applyConditions();

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors();
      const button = document.getElementById('launch-button');
      button.disabled = true;
      try {
        const result = await api('POST', '/api/v1/runs', request(), { 'Idempotency-Key': idempotencyKey() });
        if (result.ok) {
          location.assign('/ui/runs/' + result.data.id);
          return;
        }
        showProblem(result.data);
      } catch (e) {
        showProblem({ detail: String(e) });
      } finally {
        button.disabled = false;
      }
    });

    document.getElementById('quote-button').addEventListener('click', async () => {
      clearErrors();
      const result = await api('POST', '/api/v1/runs/quote', request());
      if (!result.ok) {
        showProblem(result.data);
        return;
      }
      const q = result.data;
      document.getElementById('quote-expected').textContent = q.expected.total + ' ' + q.currency;
      document.getElementById('quote-maximum').textContent = q.maximum.total + ' ' + q.currency;
      const body = document.querySelector('#quote-choices tbody');
      body.replaceChildren(...(q.choices || []).map((c) => el('tr', c.pick ? { class: 'pick' } : {}, [
        el('td', { text: c.partition + ' (' + c.region + ')' }),
        el('td', { text: c.cost + ' ' + q.currency }),
        el('td', { text: when(c.predictedStart) }),
        el('td', { text: when(c.predictedFinish) }),
        el('td', { text: c.pick ? '✓' : '' }),
      ])));
      document.getElementById('quote-panel').hidden = false;
    });

    // Uploads go to the org's workspace; the field then names the file.
    form.querySelectorAll('[data-upload-for]').forEach((picker) => {
      picker.addEventListener('change', async () => {
        const id = picker.dataset.uploadFor;
        const state = document.getElementById('u-' + id);
        if (!picker.files.length) return;
        const file = picker.files[0];
        state.textContent = text('uploading', 'Uploading…');
        const body = new FormData();
        body.append('file', file);
        const result = await api('POST', '/api/v1/files', body);
        if (result.ok) {
          document.getElementById('f-' + id).value = result.data.name || file.name;
          state.textContent = text('uploaded', 'Uploaded NAME').replace('NAME', result.data.name || file.name);
        } else {
          state.textContent = '';
          showProblem({ errors: (result.data.errors || []).map((e) => ({ field: 'inputs.' + id, message: e.message })),
            detail: result.data.detail });
        }
      });
    });
    if (form.querySelector('[data-upload-for]')) {
      api('GET', '/api/v1/files').then((result) => {
        if (!result.ok) return;
        const list = Array.isArray(result.data) ? result.data : (result.data.items || []);
        document.getElementById('workspace-files')
          .replaceChildren(...list.map((f) => el('option', { value: f.name })));
      });
    }
  }

  // ------------------------------------------------------------ run page
  const run = document.getElementById('run');
  if (run) {
    const id = run.dataset.run;
    const terminal = (s) => ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'].includes(s);
    let shownOutputs = '';

    const preview = async (output) => {
      const box = document.getElementById('output-preview');
      const type = output.contentType || '';
      if (type.startsWith('image/')) {
        box.replaceChildren(el('img', { src: output.href, alt: output.name }));
        return;
      }
      const body = await (await fetch(output.href, { credentials: 'same-origin' })).text();
      if (type.includes('csv') || output.name.endsWith('.csv')) {
        const rows = body.split(/\r?\n/).filter((r) => r.length).slice(0, 51).map((r) => r.split(','));
        const table = el('table', { class: 'csv' });
        rows.forEach((cells, i) => table.appendChild(el('tr', {}, cells.map((c) => el(i ? 'td' : 'th', { text: c })))));
        box.replaceChildren(el('p', { class: 'muted', text: output.name }), table);
      } else {
        box.replaceChildren(el('pre', { class: 'log', text: body.slice(0, 20000) }));
      }
    };

    const outputs = async () => {
      const result = await api('GET', '/api/v1/runs/' + id + '/outputs');
      if (!result.ok) return;
      const key = JSON.stringify(result.data.map((o) => o.name + o.sizeBytes));
      if (key === shownOutputs) return;
      shownOutputs = key;
      document.getElementById('run-outputs').replaceChildren(...result.data.map((o) => {
        const previewButton = el('button', { type: 'button', class: 'secondary', text: text('preview', 'Preview') });
        previewButton.addEventListener('click', () => preview(o));
        return el('li', { 'data-output': o.name }, [
          el('span', { text: o.name + ' (' + o.sizeBytes + ' B)' }),
          el('a', { href: o.href, download: o.name.split('/').pop(), text: text('download', 'Download') }),
          previewButton,
        ]);
      }));
    };

    const findings = async () => {
      const result = await api('GET', '/api/v1/runs/' + id + '/findings');
      if (!result.ok) return;
      const list = Array.isArray(result.data) ? result.data : (result.data.items || []);
      const ul = document.getElementById('run-findings');
      if (!list.length) {
        ul.replaceChildren(el('li', { class: 'muted', text: text('noFindings', 'No findings.') }));
        return;
      }
      ul.replaceChildren(...list.map((f) => el('li', { class: 'sev-' + (f.severity || '').toLowerCase() }, [
        el('strong', { text: f.rule + ': ' }), el('span', { text: f.message + (f.cleared ? ' ✓' : '') }),
      ])));
    };

    const chart = (series) => {
      const points = series.points.filter((p) => p.value !== null);
      if (points.length < 2) return null;
      const t0 = Date.parse(points[0].at);
      const t1 = Date.parse(points[points.length - 1].at) || t0 + 1;
      const values = points.map((p) => p.value);
      const lo = Math.min(0, ...values);
      const hi = Math.max(...values) || 1;
      const w = 400, h = 120;
      const path = points.map((p, i) => {
        const x = ((Date.parse(p.at) - t0) / Math.max(1, t1 - t0)) * (w - 10) + 5;
        const y = h - 5 - ((p.value - lo) / Math.max(1e-9, hi - lo)) * (h - 10);
        return (i ? 'L' : 'M') + x.toFixed(1) + ' ' + y.toFixed(1);
      }).join(' ');
      const ns = 'http://www.w3.org/2000/svg';
      const svg = document.createElementNS(ns, 'svg');
      svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', series.name + ': ' + values[values.length - 1]);
      const line = document.createElementNS(ns, 'path');
      line.setAttribute('d', path);
      line.setAttribute('fill', 'none');
      line.setAttribute('stroke', '#0b5cad');
      line.setAttribute('stroke-width', '2');
      svg.appendChild(line);
      return el('figure', {}, [svg, el('figcaption', {
        text: series.name + ' — ' + Number(values[values.length - 1]).toPrecision(3) + ' (max ' + Number(hi).toPrecision(3) + ')',
      })]);
    };

    const metrics = async () => {
      const result = await api('GET', '/api/v1/runs/' + id + '/metrics');
      if (!result.ok || !result.data.series) return;
      const wanted = ['cpu.utilization', 'memory.used', 'gpu.utilization', 'solver.progress'];
      const charts = result.data.series
        .filter((s) => s.available && (wanted.some((w) => s.name.startsWith(w.split('.')[0])) || s.name.startsWith('solver.')))
        .slice(0, 6).map(chart).filter(Boolean);
      document.getElementById('run-metrics').replaceChildren(...charts);
    };

    const log = async () => {
      const result = await api('GET', '/api/v1/runs/' + id + '/logs', undefined, { Accept: 'text/plain' });
      if (!result.ok) return;
      const pre = document.getElementById('run-log');
      const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      pre.textContent = String(result.data).split('\n').slice(-300).join('\n');
      if (atEnd) pre.scrollTop = pre.scrollHeight;
    };

    const show = (r) => {
      run.dataset.state = r.state;
      const state = document.getElementById('run-state');
      state.dataset.value = r.state;
      state.textContent = stateLabel(r.state);
      state.className = 'state state-' + r.state;
      document.getElementById('run-progress').value = r.progress || 0;
      document.getElementById('run-progress-text').textContent = r.progressMessage || '';
      const reason = document.getElementById('run-reason');
      reason.textContent = r.reason || '';
      reason.hidden = !r.reason;
      document.getElementById('cancel-button').hidden = terminal(r.state);
    };

    const refresh = async () => {
      const result = await api('GET', '/api/v1/runs/' + id);
      if (!result.ok) return;
      show(result.data);
      await Promise.all([log(), outputs(), findings(), metrics()]);
      if (!terminal(result.data.state)) setTimeout(refresh, 1500);
    };
    refresh();

    document.getElementById('cancel-button').addEventListener('click', async () => {
      const result = await api('POST', '/api/v1/runs/' + id + '/cancel');
      if (result.ok) show(result.data);
    });
    const rerun = document.getElementById('rerun-button');
    if (rerun) {
      rerun.addEventListener('click', async () => {
        rerun.disabled = true;
        const result = await api('POST', '/api/v1/runs', {
          appId: run.dataset.app, version: run.dataset.version, inputs: JSON.parse(run.dataset.inputs),
        });
        rerun.disabled = false;
        if (result.ok) location.assign('/ui/runs/' + result.data.id);
        else document.getElementById('run-reason').textContent = problemText(result.data);
      });
    }
  }

  // ------------------------------------------------------------ ISV: upload and submit
  const drop = document.querySelector('[data-drop-upload]');
  if (drop) {
    const state = document.getElementById('upload-state');
    const upload = async (file) => {
      if (!file) return;
      state.textContent = text('uploading', 'Uploading…');
      const body = new FormData();
      body.append('file', file);
      const result = await api('POST', '/api/v1/plugins', body);
      if (!result.ok) {
        state.textContent = problemText(result.data);
        return;
      }
      // Verification runs in the worker sandbox; the page shows its report when it is done.
      const id = result.data.id;
      for (let i = 0; i < 120; i++) {
        const plugin = await api('GET', '/api/v1/plugins/' + id);
        if (plugin.ok && plugin.data.status !== 'VERIFYING') break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      location.reload();
    };
    const picker = document.getElementById('plugin-file');
    picker.addEventListener('change', () => upload(picker.files[0]));
    ['dragenter', 'dragover'].forEach((type) => drop.addEventListener(type, (e) => {
      e.preventDefault();
      drop.classList.add('over');
    }));
    ['dragleave', 'drop'].forEach((type) => drop.addEventListener(type, () => drop.classList.remove('over')));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      upload(e.dataTransfer.files[0]);
    });
  }
  document.querySelectorAll('[data-submit-plugin]').forEach((button) => {
    button.addEventListener('click', async () => {
      button.disabled = true;
      const result = await api('POST', '/api/v1/plugins/' + button.dataset.submitPlugin + '/submit');
      if (result.ok) location.reload();
      else button.disabled = false;
    });
  });

  // ------------------------------------------------------------ admin: review, top-ups
  const reviewAction = async (id, action, body) => {
    const result = await api('POST', '/api/v1/plugins/' + id + '/' + action, body);
    if (result.ok) {
      location.reload();
      return;
    }
    const error = document.getElementById('review-error-' + id);
    error.textContent = problemText(result.data);
    error.hidden = false;
  };
  document.querySelectorAll('[data-approve]').forEach((b) =>
    b.addEventListener('click', () => reviewAction(b.dataset.approve, 'approve')));
  document.querySelectorAll('[data-reject]').forEach((b) =>
    b.addEventListener('click', () => reviewAction(b.dataset.reject, 'reject',
      { reason: document.getElementById('reason-' + b.dataset.reject).value })));
  document.querySelectorAll('[data-top-up]').forEach((f) => {
    f.addEventListener('submit', async (event) => {
      event.preventDefault();
      const amount = f.querySelector('input').value;
      const result = await api('POST', '/api/v1/accounts/' + encodeURIComponent(f.dataset.topUp) + '/top-ups',
        { amount: Number(amount) }, { 'Idempotency-Key': idempotencyKey() });
      if (result.ok) {
        location.reload();
        return;
      }
      const error = f.querySelector('.error');
      error.textContent = problemText(result.data);
      error.hidden = false;
    });
  });
})();
