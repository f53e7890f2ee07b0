import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { matchSkills, mentionsName } from '../../../src/core/skills/match';

const skills = [
  { name: 'pdf-forms', description: 'Extract text from PDF documents, fill PDF forms and merge PDF files.' },
  { name: 'release', description: 'Prepare a release: bump the version, update the changelog, tag the commit.' },
  { name: 'test', description: 'Run tests.' },
];

void describe('skill matching', () => {
  void test('a clear mention of a hyphenated name matches', () => {
    assert.deepEqual(matchSkills('Please use pdf-forms on invoice.pdf', skills).map((m) => m.name), ['pdf-forms']);
  });
  void test('the folder name invokes a skill whose name differs', () => {
    assert.deepEqual(matchSkills('/document-skills-pdf on w9.pdf', [{ name: 'pdf', folder: 'document-skills-pdf' }]).map((m) => m.name), ['pdf']);
  });
  void test('a single-word name matches only when marked as a skill', () => {
    assert.equal(mentionsName('we should release soon', 'release'), false);
    assert.equal(mentionsName('run the release skill', 'release'), true);
    assert.equal(mentionsName('/release now', 'release'), true);
    assert.equal(mentionsName('skill: release', 'release'), true);
    assert.equal(mentionsName('write a test for foo', 'test'), false);
    assert.equal(mentionsName('pdf-formsx', 'pdf-forms'), false);
  });
  void test('descriptions never attach a skill (the model picks from the index); only explicit names do', () => {
    assert.deepEqual(matchSkills('Bump the version, update the changelog and tag the release commit', skills), []);
    assert.deepEqual(matchSkills('Extract text from PDF documents, fill PDF forms and merge PDF files', skills), []);
    assert.deepEqual(matchSkills('fix the bug in the parser and update the code', skills), []);
    assert.deepEqual(matchSkills('read the file and make a change', skills), []);
    assert.deepEqual(matchSkills('what version of node do we use?', skills), []);
  });
});
