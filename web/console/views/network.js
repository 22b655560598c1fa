// network.js - the network resources of the VPC issue, one table each,
// as ecsd serves them: a product whose Actions this ecsd does not serve
// yet shows the API's answer instead of a table.
import { h, table, errorBox } from '../dom.js';
import { product } from '../api.js';

const VPC = '2016-04-28';
export const NETWORK = [
  { key: 'vpcs', title: 'VPCs', action: 'DescribeVpcs', version: VPC, container: 'Vpcs', item: 'Vpc',
    cols: [['VPC', 'VpcId'], ['Name', 'VpcName'], ['CIDR', 'CidrBlock'], ['Status', 'Status']] },
  { key: 'vswitches', title: 'VSwitches', action: 'DescribeVSwitches', version: VPC, container: 'VSwitches', item: 'VSwitch',
    cols: [['VSwitch', 'VSwitchId'], ['Name', 'VSwitchName'], ['VPC', 'VpcId'], ['Zone', 'ZoneId'], ['CIDR', 'CidrBlock'], ['Status', 'Status']] },
  { key: 'security-groups', title: 'Security groups', action: 'DescribeSecurityGroups', version: '2014-05-26', container: 'SecurityGroups', item: 'SecurityGroup',
    cols: [['Security group', 'SecurityGroupId'], ['Name', 'SecurityGroupName'], ['VPC', 'VpcId']] },
  { key: 'enis', title: 'Network interfaces', action: 'DescribeNetworkInterfaces', version: '2014-05-26', container: 'NetworkInterfaceSets', item: 'NetworkInterfaceSet',
    cols: [['ENI', 'NetworkInterfaceId'], ['Name', 'NetworkInterfaceName'], ['Type', 'Type'], ['Instance', 'InstanceId'], ['Status', 'Status']] },
  { key: 'eips', title: 'Elastic IPs', action: 'DescribeEipAddresses', version: VPC, container: 'EipAddresses', item: 'EipAddress',
    cols: [['EIP', 'AllocationId'], ['Address', 'IpAddress'], ['Bound to', 'InstanceId'], ['Status', 'Status']] },
  { key: 'slbs', title: 'Load balancers', action: 'DescribeLoadBalancers', version: '2014-05-15', container: 'LoadBalancers', item: 'LoadBalancer',
    cols: [['Load balancer', 'LoadBalancerId'], ['Name', 'LoadBalancerName'], ['Address', 'Address'], ['Status', 'LoadBalancerStatus']] },
];

export async function networkView(ctx, which) {
  const kinds = which ? NETWORK.filter(n => n.key === which) : NETWORK;
  const parts = await Promise.all(kinds.map(async n => {
    try {
      const r = await product(n.action, n.version, { RegionId: ctx.region(), PageSize: 50 });
      const rows = (r[n.container] || {})[n.item] || [];
      return table(n.title, n.cols.map(([title, k]) => ({ title, cell: x => String(x[k] ?? '') })), rows, { id: n.key });
    } catch (e) {
      return h('section', {}, h('h2', {}, n.title), errorBox(e));
    }
  }));
  return h('div', {}, h('h1', {}, 'Network'),
    h('nav', { 'aria-label': 'Network resources' }, h('ul', { class: 'inline' },
      NETWORK.map(n => h('li', {}, h('a', { href: '#/network/' + n.key }, n.title))))), parts);
}
