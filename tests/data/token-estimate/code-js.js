// A tiny event emitter with once() and wildcard listeners.
export class Emitter {
  #listeners = new Map();

  on(type, fn) {
    if (typeof fn !== 'function') throw new TypeError('listener must be a function');
    const list = this.#listeners.get(type) ?? [];
    list.push(fn);
    this.#listeners.set(type, list);
    return () => this.off(type, fn);
  }

  once(type, fn) {
    const off = this.on(type, (...args) => {
      off();
      fn(...args);
    });
    return off;
  }

  off(type, fn) {
    const list = this.#listeners.get(type);
    if (!list) return false;
    const i = list.indexOf(fn);
    if (i < 0) return false;
    list.splice(i, 1);
    if (list.length === 0) this.#listeners.delete(type);
    return true;
  }

  emit(type, ...args) {
    let count = 0;
    for (const key of [type, '*']) {
      for (const fn of [...(this.#listeners.get(key) ?? [])]) {
        try {
          key === '*' ? fn(type, ...args) : fn(...args);
        } catch (err) {
          queueMicrotask(() => { throw err; });
        }
        count++;
      }
    }
    return count;
  }
}

export function debounce(fn, waitMs = 100) {
  let timer = null;
  return function debounced(...args) {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn.apply(this, args);
    }, waitMs);
  };
}

const bus = new Emitter();
bus.on('save', ({ id, size }) => console.log(`saved ${id} (${size} bytes)`));
bus.once('ready', () => console.log('ready!'));
const save = debounce((doc) => bus.emit('save', { id: doc.id, size: JSON.stringify(doc).length }), 250);
for (let i = 0; i < 3; i++) save({ id: `doc-${i}`, body: 'x'.repeat(i * 10) });
