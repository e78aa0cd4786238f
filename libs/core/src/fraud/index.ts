export * from './fraud-signal';
export * from './fraud-policy';
export * from './asn-lookup';
export * from './bot-user-agent';
export * from './hosting-asns';
export * from './operator-lists';
export * from './fraud-scorer';
