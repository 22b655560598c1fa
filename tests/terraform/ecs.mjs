// ecs.mjs - the ECS data sources and resources of TERRAFORM.md's
// configuration, as the provider calls them (§2, §3.5-3.7, §3.10): each
// resource has create/read/destroy; read returns every attribute the
// provider stores, so that two refreshes can be compared. Other products'
// resources (VPC, vSwitch, security group, EIP, route entry, SLB) go in
// files beside this one with the same shape.
import { ok, waitFor, token, wireCall } from './wire.mjs';

const pick = (o, keys) => Object.fromEntries(keys.map(k => [k, o?.[k]]));

// --- data sources (§2) ---
export const dataSources = {
  async zones(ctx) {
    const ar = await ok(ctx, 'go', 'DescribeAvailableResource', { DestinationResource: 'Zone', IoOptimized: 'optimized',
      InstanceChargeType: 'PostPaid', SpotStrategy: 'NoSpot' });
    const open = ar.AvailableZones.AvailableZone.filter(z => z.Status !== 'SoldOut').map(z => z.ZoneId);
    if (!open.length) throw new Error('There are no available zones');
    const dz = await ok(ctx, 'go', 'DescribeZones', { InstanceChargeType: 'PostPaid', SpotStrategy: 'NoSpot' });
    if (!dz.Zones.Zone.length) throw new Error('DescribeZones: empty');
    return dz.Zones.Zone.filter(z => open.includes(z.ZoneId) &&
      z.AvailableInstanceTypes.InstanceTypes.length &&
      z.AvailableDiskCategories.DiskCategories.includes(ctx.cfg.diskCategory)).map(z => z.ZoneId).sort();
  },
  async instanceTypes(ctx, zone) {
    const ar = await ok(ctx, 'go', 'DescribeAvailableResource', { DestinationResource: 'InstanceType', IoOptimized: 'optimized',
      InstanceChargeType: 'PostPaid', SpotStrategy: 'NoSpot', ZoneId: zone, Cores: ctx.cfg.cores, Memory: ctx.cfg.memory });
    const sold = new Set();
    for (const z of ar.AvailableZones.AvailableZone)
      for (const r of z.AvailableResources.AvailableResource)
        for (const s of r.SupportedResources.SupportedResource) if (s.Status !== 'SoldOut') sold.add(s.Value);
    const types = [];
    let next = '';
    do {
      const page = await ok(ctx, 'tea', 'DescribeInstanceTypes', next ? { NextToken: next } : {});
      for (const t of page.InstanceTypes.InstanceType) {
        if (typeof t.InstanceTypeId !== 'string' || typeof t.InstanceTypeFamily !== 'string') throw new Error('type fields');
        if (t.LocalStorageCapacity !== undefined && typeof t.LocalStorageCapacity !== 'number') throw new Error('LocalStorageCapacity');
        if (sold.has(t.InstanceTypeId) && t.CpuCoreCount === ctx.cfg.cores && t.MemorySize === ctx.cfg.memory) types.push(t.InstanceTypeId);
      }
      if (typeof page.NextToken !== 'string') throw new Error('NextToken is not a string');
      next = page.NextToken;
    } while (next);
    return types.sort();
  },
  async images(ctx) {
    const all = [];
    for (let page = 1; ; page++) {
      const r = await ok(ctx, 'go', 'DescribeImages', { PageNumber: page, PageSize: 100, ImageOwnerAlias: 'system' });
      all.push(...r.Images.Image);
      if (r.Images.Image.length < 50) break;
    }
    const re = new RegExp(ctx.cfg.imageRegex);
    const hits = all.filter(i => re.test(i.ImageName))
      .sort((a, b) => Date.parse(b.CreationTime) - Date.parse(a.CreationTime));
    for (const i of hits) await wireCall(ctx, 'go', 'DescribeTags', { ResourceType: 'image', ResourceId: i.ImageId });
    return hits.length ? hits[0].ImageId : null;   // most_recent
  },
};

// --- resources (§3) ---
async function describeInstance(ctx, fmt, id) {
  const r = await ok(ctx, fmt, 'DescribeInstances', { InstanceIds: JSON.stringify([id]), RegionId: ctx.region });
  return r.Instances.Instance[0];
}

async function describeDisk(ctx, id) {
  const r = await ok(ctx, 'tea', 'DescribeDisks', { DiskIds: JSON.stringify([id]), RegionId: ctx.region });
  return r.Disks.Disk[0];
}

export const instance = {
  async create(ctx, s) {
    const cfg = ctx.cfg;
    const r = await ok(ctx, 'tea', 'RunInstances', {
      RegionId: ctx.region, ClientToken: token('RunInstances'), InstanceType: s.instanceType, ImageId: s.imageId,
      ZoneId: s.zone, InstanceName: 'tf-replay', 'SystemDisk.Category': cfg.diskCategory, 'SystemDisk.Size': 40,
      'DataDisk.1.Size': 20, 'DataDisk.1.Category': cfg.diskCategory, 'DataDisk.1.DeleteWithInstance': 'true',
      'DataDisk.1.Encrypted': 'false', 'Tag.1.Key': 'Name', 'Tag.1.Value': 'tf-replay', ...(s.network ?? {}) });
    const id = r.InstanceIdSets.InstanceIdSet[0];
    await waitFor(() => describeInstance(ctx, 'go', id), i => {
      if (!['Pending', 'Starting', 'Stopped', 'Running'].includes(i?.Status)) throw new Error('instance status ' + i?.Status);
      return i.Status === 'Running';
    }, { what: 'Running' });
    return id;
  },
  async read(ctx, id) {
    const i = await describeInstance(ctx, 'go', id);
    if (!i) return null;
    const sys = await ok(ctx, 'tea', 'DescribeDisks', { InstanceId: id, DiskType: 'system', RegionId: ctx.region });
    const ud = await ok(ctx, 'go', 'DescribeUserData', { InstanceId: id });
    await ok(ctx, 'go', 'DescribeInstanceRamRole', { InstanceIds: JSON.stringify([id]) });
    const enis = [];
    for (const n of i.NetworkInterfaces.NetworkInterface) {
      const e = await ok(ctx, 'tea', 'DescribeNetworkInterfaces', { 'NetworkInterfaceId.1': n.NetworkInterfaceId, RegionId: ctx.region });
      if (typeof e.NetworkInterfaceSets.NetworkInterfaceSet[0]?.NetworkInterfaceId !== 'string') throw new Error('ENI missing');
      enis.push(e.NetworkInterfaceSets.NetworkInterfaceSet[0].NetworkInterfaceId);
    }
    const ma = await ok(ctx, 'go', 'DescribeInstanceMaintenanceAttributes', { 'InstanceId.1': id });
    const attr = await ok(ctx, 'go', 'DescribeInstanceAttribute', { InstanceId: id });
    const aa = await ok(ctx, 'go', 'DescribeInstanceAttachmentAttributes', { InstanceIds: JSON.stringify([id]) });
    const tea = await describeInstance(ctx, 'tea', id);
    return {
      ...pick(i, ['InstanceId', 'InstanceName', 'Status', 'InstanceType', 'ImageId', 'ZoneId', 'KeyPairName', 'AutoReleaseTime',
        'InstanceChargeType', 'InternetMaxBandwidthOut', 'DeletionProtection', 'HostName', 'Description']),
      securityGroups: i.SecurityGroupIds.SecurityGroupId,
      vpc: pick(i.VpcAttributes, ['VpcId', 'VSwitchId']), privateIp: i.VpcAttributes.PrivateIpAddress.IpAddress[0] ?? i.InnerIpAddress.IpAddress[0] ?? '',
      publicIp: i.PublicIpAddress.IpAddress[0] ?? '', tags: i.Tags.Tag,
      systemDisk: pick(sys.Disks.Disk[0], ['DiskId', 'Category', 'Size']), userData: ud.UserData, enis,
      maintenance: ma.MaintenanceAttributes.MaintenanceAttribute[0]?.ActionOnMaintenance?.Value,
      attrStatus: attr.Status, attachment: aa.Instances.Instance[0]?.PrivatePoolOptionsMatchCriteria, teaStatus: tea.Status,
    };
  },
  async destroy(ctx, id) {
    await ok(ctx, 'go', 'DeleteInstance', { InstanceId: id, Force: 'true' });
    await waitFor(() => describeInstance(ctx, 'go', id), i => !i, { what: 'instance gone' });
  },
};

export const disk = {
  async create(ctx, s) {
    const r = await ok(ctx, 'tea', 'CreateDisk', { RegionId: ctx.region, ClientToken: token('CreateDisk'), ZoneId: s.zone,
      DiskCategory: ctx.cfg.diskCategory, Size: 20, DiskName: 'tf-replay-disk', Description: 'replay', 'Tag.1.Key': 'Name', 'Tag.1.Value': 'tf-disk' });
    const d = await describeDisk(ctx, r.DiskId);
    if (d.DeleteWithInstance !== false)   // configured false: the provider would modify it
      await ok(ctx, 'tea', 'ModifyDiskAttribute', { DiskId: r.DiskId, RegionId: ctx.region, DeleteWithInstance: 'false' });
    return r.DiskId;
  },
  async read(ctx, id) {
    const d = await describeDisk(ctx, id);
    if (!d || !d.Status) return null;
    if (typeof d.DeleteAutoSnapshot !== 'boolean') throw new Error('DeleteAutoSnapshot is not a boolean');
    return pick(d, ['Category', 'CreationTime', 'DeleteAutoSnapshot', 'DeleteWithInstance', 'Description', 'DiskName', 'EnableAutoSnapshot',
      'Encrypted', 'DiskChargeType', 'PerformanceLevel', 'RegionId', 'ResourceGroupId', 'Size', 'SourceSnapshotId', 'ZoneId', 'Tags']);
  },
  async destroy(ctx, id) {
    const d = await describeDisk(ctx, id);
    if (!d) return;
    await ok(ctx, 'tea', 'DeleteDisk', { DiskId: id });
  },
};

export const diskAttachment = {
  async create(ctx, s) {
    await describeDisk(ctx, s.diskId);
    await ok(ctx, 'tea', 'AttachDisk', { DiskId: s.diskId, InstanceId: s.instanceId });
    await waitFor(() => describeDisk(ctx, s.diskId), d => d.Status === 'In_use', { what: 'In_use' });
    const d = await describeDisk(ctx, s.diskId);
    if (typeof d.DeleteAutoSnapshot !== 'boolean') throw new Error('DeleteAutoSnapshot is not a boolean');
    return `${s.diskId}:${s.instanceId}`;
  },
  async read(ctx, id) {
    const [diskId, instanceId] = id.split(':');
    const d = await describeDisk(ctx, diskId);
    if (!d || (d.InstanceId !== instanceId && d.Status !== 'In_use')) return null;
    return pick(d, ['InstanceId', 'DiskId', 'Device']);
  },
  async destroy(ctx, id) {
    const [diskId, instanceId] = id.split(':');
    await ok(ctx, 'tea', 'DetachDisk', { DiskId: diskId, InstanceId: instanceId });
    await waitFor(() => describeDisk(ctx, diskId), d => d.Status === 'Available', { what: 'Available' });
  },
};

async function describeSnapshot(ctx, id) {
  const r = await ok(ctx, 'tea', 'DescribeSnapshots', { SnapshotIds: JSON.stringify([id]), RegionId: ctx.region });
  return r.Snapshots.Snapshot[0];
}

export const snapshot = {
  async create(ctx, s) {
    const r = await ok(ctx, 'tea', 'CreateSnapshot', { ClientToken: token('CreateSnapshot'), DiskId: s.diskId,
      SnapshotName: 'tf-replay-snap', Description: 'replay', 'Tag.1.Key': 'Name', 'Tag.1.Value': 'tf-snap' });
    await waitFor(() => describeSnapshot(ctx, r.SnapshotId), x => x?.Status === 'accomplished', { what: 'accomplished' });
    return r.SnapshotId;
  },
  async read(ctx, id) {
    const x = await describeSnapshot(ctx, id);
    if (!x) return null;
    return pick(x, ['Category', 'CreationTime', 'Description', 'SourceDiskId', 'RegionId', 'ResourceGroupId', 'RetentionDays',
      'SnapshotName', 'Status', 'Tags']);
  },
  async destroy(ctx, id) {
    const r = await wireCall(ctx, 'tea', 'DeleteSnapshot', { SnapshotId: id });
    if (r.status !== 200 && !(r.json?.Code === 'InvalidParameter' || r.status === 404)) throw new Error('DeleteSnapshot ' + r.text);
  },
};
