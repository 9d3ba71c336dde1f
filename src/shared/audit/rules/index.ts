/**
 * Every audit rule, in id order: one module per rule (see README "Adding a rule"). This list is the only
 * place that knows which rules exist.
 */
import type { AuditRule } from '../rule.js';
import { rule as IU001 } from './IU001.js';
import { rule as IU002 } from './IU002.js';
import { rule as IU003 } from './IU003.js';
import { rule as IU004 } from './IU004.js';
import { rule as IU005 } from './IU005.js';
import { rule as IU006 } from './IU006.js';
import { rule as IU007 } from './IU007.js';
import { rule as IU008 } from './IU008.js';
import { rule as IU009 } from './IU009.js';
import { rule as IU010 } from './IU010.js';
import { rule as IU011 } from './IU011.js';
import { rule as IU012 } from './IU012.js';
import { rule as IU013 } from './IU013.js';
import { rule as IU014 } from './IU014.js';

export const AUDIT_RULES: readonly AuditRule[] = Object.freeze([IU001, IU002, IU003, IU004, IU005, IU006, IU007, IU008, IU009, IU010, IU011, IU012, IU013, IU014]);
